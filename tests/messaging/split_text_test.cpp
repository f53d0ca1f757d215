// Long replies: the shared splitter (limits counted as each platform counts, cuts at a
// paragraph, line, sentence or word) and each platform's renderer through the outbox to its
// fake: every message within the platform's limit, nothing lost, buttons on the last part.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>

#include "harness.h"
#include "meta/meta.h"
#include "outbound/split_text.h"

namespace json = boost::json;
using namespace guichet;
using namespace guichet::outbound;
using namespace guichet::test;

namespace {

// n sentences of a realistic answer, in paragraphs of five sentences.
std::string long_answer(int n, const std::string& extra = "") {
    std::string s;
    for (int i = 0; i < n; ++i) {
        s += "La médiathèque Jules-Verne prête " + std::to_string(i) + " livres par carte" + extra + ".";
        s += (i % 5 == 4) ? "\n\n" : " ";
    }
    return s;
}

// The words of a text, whatever the spaces and line breaks between them.
std::string words(const std::string& s) {
    std::string out;
    std::istringstream in(s);
    for (std::string w; in >> w;) out += w + " ";
    return out;
}

std::string joined(const std::vector<std::string>& parts) {
    std::string all;
    for (auto& p : parts) all += p + "\n";
    return all;
}

turn_result with_buttons(const std::string& text) {
    turn_result r;
    r.locale = "fr";
    r.replies.push_back({text, {{"Horaires de la mairie", "horaires de la mairie"}, {"Démarches", "quelles démarches"}}, {}, {}});
    return r;
}

// The pushed reply was stored (all its parts at once) and every part delivered.
bool done(bench& b, fake_platform& api) {
    return eventually([&] { return !api.requests().empty() && b.messaging->outbox->pending() == 0; });
}

}  // namespace

TEST(messaging_split, a_text_within_the_limit_is_one_part) {
    EXPECT_EQ(split_text("Bonjour !", 10, length_unit::code_points), std::vector<std::string>{"Bonjour !"});
    EXPECT_EQ(split_text("", 10, length_unit::utf16), std::vector<std::string>{""});
    EXPECT_EQ(text_length("é😀", length_unit::code_points), 2u);
    EXPECT_EQ(text_length("é😀", length_unit::utf16), 3u);
}

TEST(messaging_split, cuts_at_a_paragraph_then_a_sentence_then_a_word) {
    auto para = split_text("Premier paragraphe assez long.\n\nSecond paragraphe.", 40, length_unit::code_points);
    EXPECT_EQ(para, (std::vector<std::string>{"Premier paragraphe assez long.", "Second paragraphe."}));
    auto sentence = split_text("La mairie ouvre à 8h30. Elle ferme à 17h le soir.", 30, length_unit::code_points);
    EXPECT_EQ(sentence, (std::vector<std::string>{"La mairie ouvre à 8h30.", "Elle ferme à 17h le soir."}));
    auto word = split_text("anticonstitutionnellement déchetterie", 30, length_unit::code_points);
    EXPECT_EQ(word, (std::vector<std::string>{"anticonstitutionnellement", "déchetterie"}));
    auto hard = split_text("aaaaaaaaaa", 4, length_unit::code_points);  // no boundary: at a character
    EXPECT_EQ(hard, (std::vector<std::string>{"aaaa", "aaaa", "aa"}));
}

TEST(messaging_split, counts_utf16_units_and_never_cuts_an_emoji_in_two) {
    std::string text;
    for (int i = 0; i < 10; ++i) text += "😀";
    auto parts = split_text(text, 5, length_unit::utf16);  // 2 emoji (4 units) per part
    ASSERT_EQ(parts.size(), 5u);
    for (auto& p : parts) EXPECT_EQ(p, "😀😀");
    auto cps = split_text(text, 5, length_unit::code_points);
    ASSERT_EQ(cps.size(), 2u);
    EXPECT_EQ(cps[0], "😀😀😀😀😀");
}

TEST(messaging_split, a_long_text_keeps_every_word_and_each_part_fits) {
    auto text = long_answer(400);
    for (auto unit : {length_unit::code_points, length_unit::utf16}) {
        auto parts = split_text(text, 2000, unit);
        ASSERT_GE(parts.size(), 2u);
        for (auto& p : parts) {
            EXPECT_LE(text_length(p, unit), 2000u);
            if (&p != &parts.back()) {
                EXPECT_GT(text_length(p, unit), 1000u) << "a stub part";
            }
            EXPECT_EQ(p.back(), '.') << "not cut at a sentence or paragraph: ..." << p.substr(p.size() - 20);
        }
        EXPECT_EQ(words(joined(parts)), words(text));
    }
}

TEST(telegram, a_long_reply_is_sent_as_several_messages_within_4096_utf16_units_keyboard_on_the_last) {
    bench b("tg-long");
    // ~3800 characters but over 4096 UTF-16 units: each 😀 counts 2 for Telegram.
    auto text = long_answer(70, " 😀😀😀");
    ASSERT_LT(text_length(text, length_unit::code_points), 4096u);
    ASSERT_GT(text_length(text, length_unit::utf16), 4096u);
    b.a->push.push("telegram", "42", with_buttons(text));
    ASSERT_TRUE(done(b, b.telegram_api));
    auto sent = b.telegram_api.requests();
    ASSERT_EQ(sent.size(), 2u);
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < sent.size(); ++i) {
        auto v = json::parse(sent[i].body).as_object();
        parts.emplace_back(v.at("text").as_string());
        EXPECT_LE(text_length(parts.back(), length_unit::utf16), 4096u);
        EXPECT_EQ(v.contains("reply_markup"), i + 1 == sent.size()) << i;
    }
    EXPECT_EQ(words(joined(parts)), words(text));
}

TEST(meta, a_long_messenger_reply_is_split_at_2000_characters_quick_replies_on_the_last) {
    bench b("meta-long-messenger");
    auto text = long_answer(120);
    b.a->push.push("messenger", "PSID1", with_buttons(text));
    ASSERT_TRUE(done(b, b.meta_api));
    auto sent = b.meta_api.requests();
    ASSERT_GE(sent.size(), 3u);
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < sent.size(); ++i) {
        auto m = json::parse(sent[i].body).at("message").as_object();
        parts.emplace_back(m.at("text").as_string());
        EXPECT_LE(text_length(parts.back(), length_unit::code_points), 2000u);
        EXPECT_EQ(m.contains("quick_replies"), i + 1 == sent.size()) << i;
    }
    EXPECT_EQ(words(joined(parts)), words(text));
}

TEST(meta, a_long_whatsapp_reply_is_split_at_4096_characters_buttons_on_the_last) {
    bench b("meta-long-whatsapp", 16 * 1024, false, [](config& c) { c.set("meta.phone_number_id", "PNID"); });
    auto text = long_answer(120);
    b.a->push.push("whatsapp", "33612345678", with_buttons(text));
    ASSERT_TRUE(done(b, b.meta_api));
    auto sent = b.meta_api.requests();
    ASSERT_GE(sent.size(), 2u);
    std::vector<std::string> parts;
    for (std::size_t i = 0; i + 1 < sent.size(); ++i) {
        auto v = json::parse(sent[i].body).as_object();
        EXPECT_EQ(v.at("type"), "text");
        parts.emplace_back(v.at("text").at("body").as_string());
        EXPECT_LE(text_length(parts.back(), length_unit::code_points), 4096u);
    }
    auto last = json::parse(sent.back().body).as_object();
    ASSERT_EQ(last.at("type"), "interactive");
    parts.emplace_back(last.at("interactive").at("body").at("text").as_string());
    EXPECT_LE(text_length(parts.back(), length_unit::code_points), 1024u);  // interactive body
    EXPECT_EQ(words(joined(parts)), words(text));
}

TEST(slack, a_long_reply_is_split_at_3000_characters_per_section_buttons_on_the_last) {
    bench b("slack-long");
    auto text = long_answer(120);
    b.a->push.push("slack", "D123", with_buttons(text));
    ASSERT_TRUE(done(b, b.slack_api));
    auto sent = b.slack_api.requests();
    ASSERT_GE(sent.size(), 2u);
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < sent.size(); ++i) {
        auto v = json::parse(sent[i].body).as_object();
        auto& blocks = v.at("blocks").as_array();
        parts.emplace_back(blocks.at(0).at("text").at("text").as_string());
        EXPECT_LE(text_length(parts.back(), length_unit::code_points), 3000u);
        EXPECT_EQ(v.at("text"), blocks.at(0).at("text").at("text"));
        EXPECT_EQ(blocks.size(), i + 1 == sent.size() ? 2u : 1u) << i;
    }
    EXPECT_EQ(words(joined(parts)), words(text));
}

TEST(matrix, a_long_reply_is_split_into_notices_of_4000_characters_numbered_buttons_on_the_last) {
    bench b("matrix-long");
    // A week of opening hours for several places, or an FAQ with its sources: ~10,000 characters.
    auto text = long_answer(250);
    ASSERT_GT(text_length(text, length_unit::code_points), 9000u);
    b.a->push.push("matrix", "!long:example.org", with_buttons(text));
    ASSERT_TRUE(done(b, b.matrix_api));
    auto sent = b.matrix_api.requests();
    ASSERT_GE(sent.size(), 3u);
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < sent.size(); ++i) {
        EXPECT_LT(sent[i].body.size(), 65536u);  // the homeserver's limit for a whole event
        auto v = json::parse(sent[i].body).as_object();
        EXPECT_EQ(v.at("msgtype"), "m.notice");
        std::string body(v.at("body").as_string());
        EXPECT_LE(text_length(body, length_unit::code_points), 4000u);
        bool last = i + 1 == sent.size();
        EXPECT_EQ(v.contains("formatted_body"), last) << i;
        EXPECT_EQ(body.find("1. Horaires de la mairie") != std::string::npos, last) << i;
        if (last) {
            EXPECT_NE(v.at("formatted_body").as_string().find("<ol start=\"1\"><li>Horaires de la mairie</li>"),
                      std::string::npos);
            body = body.substr(0, body.find("\n1. Horaires de la mairie"));
        }
        parts.push_back(body);
    }
    EXPECT_EQ(words(joined(parts)), words(text));
}

// An FAQ answer gives its source in its text and as a card (a link card on the website): the
// channels that write cards as text give it once (it came twice); another card stays.
TEST(messaging_cards, a_card_whose_link_the_text_gives_is_not_written_again) {
    bench b("cards-once");
    turn_result r;
    r.locale = "fr";
    const std::string source = "https://www.saint-exemple-sur-loire.fr/piscine";
    r.replies.push_back({"Entrée adulte 4,50 €.\nSource : " + source + " (mis à jour le 29 novembre 2026)",
                         {},
                         {{"Combien coûte l'entrée de la piscine ?", "mis à jour le 29 novembre 2026", source},
                          {"Piscine des Naïades", "2 avenue Jean Jaurès", "https://example.org/naiades"}},
                         {}});
    auto once = [&](const std::string& text) {
        std::size_t n = 0;
        for (auto at = text.find(source); at != std::string::npos; at = text.find(source, at + 1)) ++n;
        EXPECT_EQ(n, 1u) << text;
        EXPECT_EQ(text.find("Combien coûte"), std::string::npos) << text;
        EXPECT_NE(text.find("https://example.org/naiades"), std::string::npos) << text;  // the other card
    };
    b.a->push.push("telegram", "42", r);
    b.a->push.push("slack", "D1", r);
    b.a->push.push("matrix", "!room:example.org/@ana:example.org", r);
    ASSERT_TRUE(done(b, b.telegram_api) && done(b, b.slack_api) && done(b, b.matrix_api));
    once(std::string(json::parse(b.telegram_api.requests()[0].body).at("text").as_string()));
    once(std::string(json::parse(b.slack_api.requests()[0].body).at("text").as_string()));
    once(std::string(json::parse(b.matrix_api.requests()[0].body).at("body").as_string()));
    auto wa = meta::render_whatsapp("PHONE", "33612345678", r);
    ASSERT_EQ(wa.size(), 1u);
    once(std::string(json::parse(wa[0].body).at("text").at("body").as_string()));
}
