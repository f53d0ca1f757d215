// The "hours" plugin through the whole engine with a fixed clock: open on a day, open now,
// lunch breaks, public holidays with the reopening, summer vs winter hours, the week's
// hours, follow-ups on the last service, English, and bad slots.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness.h"

using guichet::test::harness;
using guichet::test::paris;
using testing::HasSubstr;
using testing::Not;

namespace {

std::string say(const std::string& text, std::int64_t now, const std::string& locale = "fr",
                const std::string& conv = "") {
    auto r = harness::get().ask(text, locale, now, conv);
    EXPECT_EQ(r.intent, "hours.open") << text;
    EXPECT_FALSE(r.fallback) << text;
    return harness::text(r);
}

}  // namespace

TEST(plugin_hours, town_hall_on_saturday) {
    // Thursday 3 December 2026, asking about Saturday 5 December.
    auto s = say("La mairie est ouverte samedi ?", paris(2026, 12, 3, 10, 0, 1));
    EXPECT_THAT(s, HasSubstr("Oui, samedi 5 décembre la mairie est ouverte de 9 h à 12 h."));
}

// "À quelle heure…" / "when…" is not answered "Oui" / "No".
TEST(plugin_hours, when_questions_get_no_yes_or_no) {
    auto s = say("à quelle heure ferme la mairie samedi ?", paris(2026, 12, 3, 10, 0, 1));
    EXPECT_THAT(s, HasSubstr("Samedi 5 décembre la mairie est ouverte de 9 h à 12 h."));
    EXPECT_THAT(s, Not(HasSubstr("Oui")));
    auto now = say("la piscine ferme a quelle heure", paris(2026, 12, 3, 6, 0, 1));
    EXPECT_THAT(now, HasSubstr("La piscine est fermée en ce moment"));
    EXPECT_THAT(now, Not(HasSubstr("Non")));
    auto en = say("what time does the library open on sunday", paris(2026, 12, 3, 10, 0, 1), "en");
    EXPECT_THAT(en, HasSubstr("The library is closed on Sunday 6 December"));
    EXPECT_THAT(en, Not(HasSubstr("No,")));
    auto sms = say("la mairie c ouvert jusqua kel heure samedi", paris(2026, 12, 3, 10, 0, 1));
    EXPECT_THAT(sms, HasSubstr("Samedi 5 décembre la mairie est ouverte de 9 h à 12 h."));
    auto late = say("how late is the town hall open on saturday", paris(2026, 12, 3, 10, 0, 1), "en");
    EXPECT_THAT(late, Not(HasSubstr("Yes,")));
    auto wat = say("wat time does the libary open", paris(2026, 11, 29, 14, 10, 1), "en");
    EXPECT_THAT(wat, HasSubstr("The library is closed right now"));
    EXPECT_THAT(wat, Not(HasSubstr("No,")));
}

// "Les horaires…" asks for hours, not whether: no "Oui" / "Yes" in front of them either.
TEST(plugin_hours, hours_questions_get_no_yes_or_no) {
    auto s = say("c quoi les horaires de la piscine le dimanche", paris(2026, 11, 29, 8, 0, 1));
    EXPECT_THAT(s, HasSubstr("Dimanche 29 novembre la piscine est ouverte de 9 h à 12 h 30."));
    EXPECT_THAT(s, Not(HasSubstr("Oui")));
    auto xmas = say("horaires de la piscine le 25 décembre", paris(2026, 11, 29, 8, 0, 1));
    EXPECT_THAT(xmas, HasSubstr("Vendredi 25 décembre c'est Noël"));
    EXPECT_THAT(xmas, Not(HasSubstr("Non")));
    auto en = say("opening hours of the library on saturday", paris(2026, 12, 3, 10, 0, 1), "en");
    EXPECT_THAT(en, HasSubstr("On Saturday 5 December the library is open from 10:00 to 17:00."));
    EXPECT_THAT(en, Not(HasSubstr("Yes")));
}

// "samedi matin", "lundi aprem": the openings of that part of the day, named.
TEST(plugin_hours, a_part_of_the_day_gets_its_openings) {
    auto aprem = say("la mairie est ouverte lundi aprem ?", paris(2026, 11, 29, 10, 0, 1));
    EXPECT_THAT(
        aprem,
        HasSubstr(
            "Oui, lundi 30 novembre, l'après-midi, la mairie est ouverte de 13 h 30 à 17 h 30."));
    auto wed = say("la médiathèque ouvre à quelle heure mercredi après-midi",
                   paris(2026, 11, 29, 10, 0, 1));
    EXPECT_THAT(
        wed,
        HasSubstr("Mercredi 2 décembre, l'après-midi, la médiathèque est ouverte de 14 h à 18 h."));
    auto en =
        say("when does the pool open on saturday morning", paris(2026, 11, 29, 10, 0, 1), "en");
    EXPECT_THAT(en, HasSubstr("On Saturday 5 December in the morning the swimming pool is open "
                              "from 10:00 to 12:00."));
    EXPECT_THAT(en, Not(HasSubstr("14:00")));
}

// "… fermée ?" is answered yes when it is closed.
TEST(plugin_hours, a_closed_question_gets_the_yes_or_no_the_other_way_round) {
    auto now = say("la poste est fermée ?", paris(2026, 11, 29, 14, 10, 1));
    EXPECT_THAT(now, HasSubstr("Oui, la poste est fermée en ce moment"));
    auto sat = say("la mairie est fermée samedi ?", paris(2026, 12, 3, 10, 0, 1));
    EXPECT_THAT(sat, HasSubstr("Non, samedi 5 décembre la mairie est ouverte de 9 h à 12 h."));
    auto en = say("is the pool closed now?", paris(2026, 11, 29, 14, 10, 1), "en");
    EXPECT_THAT(en, HasSubstr("Yes, the swimming pool is closed right now"));
}

TEST(plugin_hours, lunch_break_on_a_weekday) {
    auto s = say("la mairie est ouverte lundi ?", paris(2026, 12, 3, 10, 0, 1));
    EXPECT_THAT(s, HasSubstr("lundi 7 décembre la mairie est ouverte de 8 h 30 à 12 h et de 13 h 30 à 17 h 30"));
}

TEST(plugin_hours, easter_monday_says_holiday_and_reopening) {
    auto s = say("la mairie est ouverte lundi ?", paris(2026, 4, 4, 10, 0, 2));
    EXPECT_THAT(s, HasSubstr("Non, lundi 6 avril c'est le lundi de Pâques (jour férié) : la mairie "
                             "est fermée ; elle rouvre mardi 7 avril à 8 h 30."));
    // Every holiday's name with its article, lower-cased after "c'est"
    auto new_year = say("la mairie est ouverte le 1er janvier ?", paris(2026, 12, 28, 10, 0, 1));
    EXPECT_THAT(new_year, HasSubstr("vendredi 1er janvier c'est le jour de l'an (jour férié) : la mairie "
                                    "est fermée ; elle rouvre samedi 2 janvier à 9 h."));
    auto july = say("la médiathèque est ouverte le 14 juillet ?", paris(2026, 7, 1, 10, 0, 2));
    EXPECT_THAT(july, HasSubstr("c'est la fête nationale (jour férié) : la médiathèque est fermée"));
}

TEST(plugin_hours, open_now_saturday_morning_and_afternoon) {
    auto morning = say("c'est ouvert maintenant la mairie ?", paris(2026, 12, 5, 10, 0, 1));
    EXPECT_THAT(morning, HasSubstr("Oui, la mairie est ouverte en ce moment, jusqu'à 12 h."));
    auto afternoon = say("c'est ouvert maintenant la mairie ?", paris(2026, 12, 5, 15, 0, 1));
    EXPECT_THAT(afternoon, HasSubstr("Non, la mairie est fermée en ce moment ; elle ouvre lundi 7 "
                                     "décembre à 8 h 30."));
}

TEST(plugin_hours, closed_at_lunch_opens_the_same_day) {
    auto s = say("c'est ouvert maintenant la mairie ?", paris(2026, 12, 7, 12, 30, 1));
    EXPECT_THAT(s, HasSubstr("Non, la mairie est fermée en ce moment ; elle ouvre à 13 h 30."));
}

TEST(plugin_hours, pool_summer_and_winter_week) {
    auto summer = say("horaires de la piscine", paris(2026, 7, 13, 9, 0, 2));
    EXPECT_THAT(summer, HasSubstr("Horaires de la piscine :"));
    EXPECT_THAT(summer, HasSubstr("lundi 13 juillet : de 10 h à 19 h 30"));
    EXPECT_THAT(summer, HasSubstr("mardi 14 juillet : fermé (Fête nationale)"));
    auto winter = say("horaires de la piscine", paris(2026, 12, 2, 9, 0, 1));
    EXPECT_THAT(winter, HasSubstr("mercredi 2 décembre : de 10 h à 12 h et de 14 h à 19 h"));
    EXPECT_THAT(winter, HasSubstr("jeudi 3 décembre : de 12 h à 13 h 30 et de 17 h à 20 h"));
    EXPECT_THAT(winter, Not(HasSubstr("19 h 30")));
}

// A span of days: each of its days, holidays named.
TEST(plugin_hours, a_span_of_days_lists_each_day) {
    auto s = say("la mairie est ouverte du 24 au 31 décembre ?", paris(2026, 12, 2, 10, 0, 1));
    EXPECT_THAT(s, HasSubstr("Horaires de la mairie :"));
    EXPECT_THAT(s, HasSubstr("jeudi 24 décembre : de 8 h 30 à 12 h et de 13 h 30 à 17 h 30"));
    EXPECT_THAT(s, HasSubstr("vendredi 25 décembre : fermé (Noël)"));
    EXPECT_THAT(s, HasSubstr("jeudi 31 décembre : de 8 h 30 à 12 h et de 13 h 30 à 17 h 30"));
    EXPECT_THAT(s, Not(HasSubstr("1er janvier")));
    auto en = say("is the town hall open between christmas and new year's day?",
                  paris(2026, 12, 2, 10, 0, 1), "en");
    EXPECT_THAT(en, HasSubstr("Friday 25 December: closed (Christmas Day)"));
    EXPECT_THAT(en, HasSubstr("Friday 1 January: closed (New Year's Day)"));
    EXPECT_THAT(en, Not(HasSubstr("24 December")));
}

// A when-question about a part of the day when it is closed: the day's hours, no "Non".
TEST(plugin_hours, when_question_about_a_closed_evening) {
    // Asked before it closes today: when it closes today (it said it reopened the next day).
    auto s = say("la piscine ferme a quel heure ce soir", paris(2026, 11, 29, 8, 40, 1));
    EXPECT_THAT(s, HasSubstr("Dimanche 29 novembre la piscine est ouverte de 9 h à 12 h 30, pas le "
                             "soir ; elle ferme à 12 h 30."));
    EXPECT_THAT(s, Not(HasSubstr("Non")));
    auto en = say("what time does the pool close this evening", paris(2026, 11, 29, 8, 40, 1), "en");
    EXPECT_THAT(en, HasSubstr("On Sunday 29 November the swimming pool is open from 9:00 to 12:30, "
                              "not in the evening; it closes at 12:30."));
    // Asked once the day's last opening is over: in the past.
    auto late = say("la piscine ferme a quel heure ce soir", paris(2026, 11, 29, 20, 40, 1));
    EXPECT_THAT(late, HasSubstr("la piscine était ouverte de 9 h à 12 h 30, pas le soir ; "
                                "elle rouvre lundi 30 novembre à 12 h."));
    // A yes-no question: "Non", and the part of the day asked.
    EXPECT_THAT(say("la piscine est ouverte ce soir ?", paris(2026, 11, 29, 8, 40, 1)),
                HasSubstr("Non, pas le soir : dimanche 29 novembre la piscine est ouverte de 9 h "
                          "à 12 h 30 ; elle rouvre lundi 30 novembre à 12 h."));
}

// "When is it open?" asks for the days and hours; "when does it open?" for the next opening.
TEST(plugin_hours, when_is_it_open_lists_the_week) {
    std::int64_t now = paris(2026, 12, 2, 9, 0, 1);
    for (const char* q : {"quand la piscine est-elle ouverte ?", "c'est ouvert quand la piscine",
                          "la piscine est ouverte quels jours ?"}) {
        auto s = say(q, now);
        EXPECT_THAT(s, HasSubstr("Horaires de la piscine :")) << q;
        EXPECT_THAT(s, HasSubstr("jeudi 3 décembre : de 12 h à 13 h 30 et de 17 h à 20 h")) << q;
    }
    auto en = say("when is the swimming pool open?", now, "en");
    EXPECT_THAT(en, HasSubstr("Thursday 3 December: from 12:00 to 13:30 and from 17:00 to 20:00"));
    auto next = say("quand ouvre la piscine ?", now);
    EXPECT_THAT(next, HasSubstr("La piscine est fermée en ce moment ; elle ouvre à 10 h."));
    EXPECT_THAT(next, Not(HasSubstr("Horaires")));
    auto next_en = say("when does the swimming pool open?", now, "en");
    EXPECT_THAT(next_en, HasSubstr("opens at 10:00"));
}

TEST(plugin_hours, follow_up_reuses_the_last_service) {
    std::int64_t now = paris(2026, 12, 3, 10, 0, 1);
    say("la médiathèque est ouverte samedi ?", now, "fr", "follow");
    auto s = say("et dimanche c'est ouvert ?", now, "fr", "follow");
    EXPECT_THAT(s, HasSubstr("Non, dimanche 6 décembre la médiathèque est fermée"));
    EXPECT_THAT(s, HasSubstr("elle rouvre mardi 8 décembre à 14 h"));
}

TEST(plugin_hours, follow_up_reuses_the_day) {
    std::int64_t now = paris(2026, 12, 3, 10, 0, 1);
    say("la mairie est ouverte samedi ?", now, "fr", "follow-day");
    auto s = say("et la médiathèque ?", now, "fr", "follow-day");
    EXPECT_THAT(s, HasSubstr("Oui, samedi 5 décembre la médiathèque est ouverte de 10 h à 17 h."));
    // Asking about now drops the day.
    say("la mairie est ouverte maintenant ?", now, "fr", "follow-day");
    auto later = say("et la médiathèque ?", now, "fr", "follow-day");
    EXPECT_THAT(later, Not(HasSubstr("samedi")));
}

TEST(plugin_hours, appointment_only_comment) {
    auto out = harness::get().run("hours", "hours.open",
                                  {{"service", "urbanisme"}, {"when", "2026-12-08T00:00:00+01:00"},
                                   {"when.start", std::to_string(paris(2026, 12, 8, 0, 0, 1))},
                                   {"when.end", std::to_string(paris(2026, 12, 9, 0, 0, 1))}},
                                  "fr", paris(2026, 12, 3, 10, 0, 1));
    ASSERT_EQ(out.status, guichet::turn_status::ok) << out.error;
    EXPECT_THAT(harness::text(out.replies), HasSubstr("de 9 h à 12 h (sur rendez-vous)"));
}

TEST(plugin_hours, english) {
    auto s = say("is the town hall open on saturday?", paris(2026, 12, 3, 10, 0, 1), "en");
    EXPECT_THAT(s, HasSubstr("Yes, on Saturday 5 December the town hall is open from 9:00 to 12:00."));
    auto h = say("is the town hall open on monday?", paris(2026, 4, 4, 10, 0, 2), "en");
    EXPECT_THAT(h, HasSubstr("No, Monday 6 April is Easter Monday (a public holiday): the town hall "
                             "is closed; it reopens on Tuesday 7 April at 8:30."));
}

TEST(plugin_hours, unknown_service_gets_a_clear_answer) {
    auto out = harness::get().run("hours", "hours.open", {{"service", "atlantide"}, {"when", "now"}},
                                  "fr", paris(2026, 12, 3, 10, 0, 1));
    ASSERT_EQ(out.status, guichet::turn_status::ok) << out.error;
    EXPECT_THAT(harness::text(out.replies), HasSubstr("Je ne connais pas le service « atlantide »"));
    auto none = harness::get().run("hours", "hours.open", {}, "en", paris(2026, 12, 3, 10, 0, 1));
    ASSERT_EQ(none.status, guichet::turn_status::ok) << none.error;
    EXPECT_THAT(harness::text(none.replies), HasSubstr("Which service do you mean?"));
    // Garbage in the period slots is not a crash.
    auto bad = harness::get().run("hours", "hours.open",
                                  {{"service", "mairie"}, {"when", "n'importe quoi"}}, "fr",
                                  paris(2026, 12, 3, 10, 0, 1));
    EXPECT_EQ(bad.status, guichet::turn_status::ok) << bad.error;
}

TEST(plugin_hours, week_title_contracts_the_article) {
    auto s = say("horaires du cimetiere", paris(2026, 12, 2, 9, 0, 1));
    EXPECT_THAT(s, HasSubstr("Horaires du cimetière :"));
    EXPECT_THAT(say("cemetery opening hours", paris(2026, 12, 2, 9, 0, 1), "en"),
                HasSubstr("Opening hours of the cemetery:"));
}

// A kind of place with several in the town ("la déchetterie"): each one's hours, each
// named by its short name (its first synonym: « déchetterie des Grands Champs »).
TEST(plugin_hours, a_kind_of_place_answers_for_each) {
    auto r = harness::get().ask("la déchetterie est ouverte dimanche ?", "fr", paris(2026, 12, 2, 9, 0, 1));
    EXPECT_EQ(r.intent, "hours.open");
    auto s = harness::text(r);
    EXPECT_THAT(
        s, HasSubstr(
               "dimanche 6 décembre la déchetterie des Grands Champs est ouverte de 9 h à 12 h"));
    EXPECT_THAT(s,
                HasSubstr("dimanche 6 décembre la déchetterie du Port est ouverte de 9 h à 12 h"));
    auto en = harness::text(harness::get().ask("when is the recycling centre open on sunday", "en",
                                               paris(2026, 12, 2, 9, 0, 1)));
    EXPECT_THAT(en, HasSubstr("the Grands Champs recycling centre is open from 9:00 to 12:00"));
    EXPECT_THAT(en, HasSubstr("the Port recycling centre is open from 9:00 to 12:00"));
    // A place named among them is answered alone.
    auto one = harness::text(harness::get().ask("la déchetterie du port est ouverte dimanche ?", "fr",
                                                paris(2026, 12, 2, 9, 0, 1)));
    EXPECT_THAT(one, HasSubstr("la déchetterie du Port est ouverte"));
    EXPECT_THAT(one, Not(HasSubstr("Grands Champs")));
}

// Verbs and adjectives agree with the place: plural toilets, a feminine library.
TEST(plugin_hours, agreement_with_the_place) {
    auto out = harness::get().run("hours", "hours.open", {{"service", "toilettes_mairie"}, {"when", "now"}},
                                  "fr", paris(2026, 12, 8, 6, 0, 1));
    EXPECT_THAT(harness::text(out.replies),
                HasSubstr("sont fermées en ce moment ; elles ouvrent à 7 h."));
    auto en = harness::get().run("hours", "hours.open", {{"service", "toilettes_mairie"}, {"when", "now"}},
                                 "en", paris(2026, 12, 8, 6, 0, 1));
    EXPECT_THAT(harness::text(en.replies), HasSubstr("toilets are closed right now; they open at 7:00."));
    auto lib = harness::get().run("hours", "hours.open", {{"service", "mediatheque"}, {"when", "now"}},
                                  "fr", paris(2026, 12, 8, 6, 0, 1));
    EXPECT_THAT(harness::text(lib.replies),
                HasSubstr("La médiathèque est fermée en ce moment ; elle ouvre"));
}

TEST(plugin_hours, every_place_gets_an_answer) {
    std::vector<std::string> ids;
    std::string error;
    harness::get().the_site().kb_query(
        "SELECT id FROM places ORDER BY id", {},
        [](void* user, int, const char* const* v, const char* const*) {
            static_cast<std::vector<std::string>*>(user)->push_back(v[0]);
            return 0;
        },
        &ids, error);
    ASSERT_GT(ids.size(), 10u) << error;
    for (auto& id : ids)
        for (const char* lang : {"fr", "en"})
            for (auto now : {paris(2026, 12, 5, 10, 0, 1), paris(2026, 7, 14, 23, 30, 2)}) {
                for (bool week : {false, true}) {  // now, and the week's hours ("horaires")
                    std::map<std::string, std::string> slots{{"service", id}};
                    if (!week) slots["when"] = "now";
                    auto out = harness::get().run("hours", "hours.open", slots, lang, now,
                                                  week ? (lang == std::string("fr") ? "horaires" : "opening hours") : "");
                    ASSERT_EQ(out.status, guichet::turn_status::ok) << id << ": " << out.error;
                    ASSERT_FALSE(out.replies.empty()) << id;
                    auto text = harness::text(out.replies);
                    for (const char* wrong : {" de le ", " de les ", " à le ", " à les ", "s de le"})
                        EXPECT_THAT(text, Not(HasSubstr(wrong))) << id;
                    if (getenv("GUICHET_SHOW")) std::printf("%s\n", text.c_str());
                }
            }
}

// "cette semaine" lists the days from today, not the days gone by; on a Sunday, the coming week.
TEST(plugin_hours, this_week_starts_today) {
    auto wed = say("horaires de la mairie cette semaine", paris(2026, 12, 2, 10, 0, 1));
    EXPECT_THAT(wed, HasSubstr("mercredi 2 décembre"));
    EXPECT_THAT(wed, HasSubstr("dimanche 6 décembre"));
    EXPECT_THAT(wed, Not(HasSubstr("lundi 30 novembre")));
    auto sun = say("what are the town hall's opening hours this week?", paris(2026, 11, 29, 10, 0, 1), "en");
    EXPECT_THAT(sun, HasSubstr("Monday 30 November"));
    EXPECT_THAT(sun, Not(HasSubstr("23 November")));
}
