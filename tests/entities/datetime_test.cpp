// French dates and times against a fixed clock: relative days, parts of the day,
// weekdays, explicit dates, clock times, offsets, holidays, combinations, DST weeks
// (2026-03-29, 2026-10-25) and the year wrap.
#include <chrono>

#include "test_util.h"

namespace guichet::entities::test {
namespace {

const std::string sat = saturday_afternoon;  // Saturday 2026-11-28 16:20 +01:00

class french_datetime : public ::testing::TestWithParam<dt_case> {};
TEST_P(french_datetime, resolves) { check_datetime(GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    relative_days, french_datetime,
    ::testing::Values(dt_case{"aujourd'hui", "fr", sat, "2026-11-28T00:00:00+01:00",
                              "2026-11-29T00:00:00+01:00", "day", ""},
                      dt_case{"c'est ouvert auj ?", "fr", sat, "2026-11-28T00:00:00+01:00",
                              "2026-11-29T00:00:00+01:00", "day", "auj"},
                      dt_case{"aujourd’hui", "fr", sat, "2026-11-28T00:00:00+01:00",
                              "2026-11-29T00:00:00+01:00", "day", ""},
                      dt_case{"ajd", "fr", sat, "2026-11-28T00:00:00+01:00",
                              "2026-11-29T00:00:00+01:00", "day", ""},
                      dt_case{"Demain", "fr", sat, "2026-11-29T00:00:00+01:00",
                              "2026-11-30T00:00:00+01:00", "day", ""},
                      dt_case{"dem1 svp", "fr", sat, "2026-11-29T00:00:00+01:00",
                              "2026-11-30T00:00:00+01:00", "day", "dem1"},
                      dt_case{"après-demain", "fr", sat, "2026-11-30T00:00:00+01:00",
                              "2026-12-01T00:00:00+01:00", "day", ""},
                      dt_case{"apres demain", "fr", sat, "2026-11-30T00:00:00+01:00",
                              "2026-12-01T00:00:00+01:00", "day", ""},
                      dt_case{"hier", "fr", sat, "2026-11-27T00:00:00+01:00",
                              "2026-11-28T00:00:00+01:00", "day", ""},
                      dt_case{"maintenant", "fr", sat, "2026-11-28T16:20:00+01:00",
                              "2026-11-28T16:21:00+01:00", "instant", ""}));

// SMS and short forms.
INSTANTIATE_TEST_SUITE_P(
    typed_short, french_datetime,
    ::testing::Values(dt_case{"ccas ouvert 2m1", "fr", sat, "2026-11-29T00:00:00+01:00",
                              "2026-11-30T00:00:00+01:00", "day", "2m1"},
                      dt_case{"poste ouverte sam", "fr", sat, "2026-11-28T00:00:00+01:00",
                              "2026-11-29T00:00:00+01:00", "day", "sam"},
                      dt_case{"cimetiere ouvert dim.", "fr", sat, "2026-11-29T00:00:00+01:00",
                              "2026-11-30T00:00:00+01:00", "day", "dim."},
                      dt_case{"mediatheque ouverte ds 1h", "fr", sat, "2026-11-28T17:20:00+01:00",
                              "2026-11-28T17:21:00+01:00", "instant", "ds 1h"},
                      dt_case{"la mairie à 17.30 ?", "fr", sat, "2026-11-28T17:30:00+01:00",
                              "2026-11-28T17:31:00+01:00", "instant", "à 17.30"},
                      dt_case{"ouvert pendant la pause déjeuner ?", "fr", sat,
                              "2026-11-28T12:00:00+01:00", "2026-11-28T14:00:00+01:00",
                              "part_of_day", "la pause déjeuner"}));

INSTANTIATE_TEST_SUITE_P(
    parts_of_day, french_datetime,
    ::testing::Values(dt_case{"ce matin", "fr", sat, "2026-11-28T06:00:00+01:00",
                              "2026-11-28T12:00:00+01:00", "part_of_day", ""},
                      dt_case{"cet après-midi", "fr", sat, "2026-11-28T12:00:00+01:00",
                              "2026-11-28T18:00:00+01:00", "part_of_day", ""},
                      dt_case{"ce soir", "fr", sat, "2026-11-28T18:00:00+01:00",
                              "2026-11-29T00:00:00+01:00", "part_of_day", ""},
                      dt_case{"cette nuit", "fr", sat, "2026-11-28T22:00:00+01:00",
                              "2026-11-29T06:00:00+01:00", "part_of_day", ""},
                      dt_case{"lundi matin", "fr", sat, "2026-11-30T06:00:00+01:00",
                              "2026-11-30T12:00:00+01:00", "part_of_day", ""},
                      dt_case{"demain matin", "fr", sat, "2026-11-29T06:00:00+01:00",
                              "2026-11-29T12:00:00+01:00", "part_of_day", ""}));

INSTANTIATE_TEST_SUITE_P(
    weekdays_and_ranges, french_datetime,
    ::testing::Values(
        // today is Saturday: "samedi" is today, "samedi prochain" the one after
        dt_case{"samedi", "fr", sat, "2026-11-28T00:00:00+01:00", "2026-11-29T00:00:00+01:00",
                "day", ""},
        dt_case{"samedi prochain", "fr", sat, "2026-12-05T00:00:00+01:00",
                "2026-12-06T00:00:00+01:00", "day", ""},
        // two letters swapped, the commonest typo on a phone
        dt_case{"horaire piscine dimanhce", "fr", sat, "2026-11-29T00:00:00+01:00",
                "2026-11-30T00:00:00+01:00", "day", "dimanhce"},
        // a letter missing, added or wrong after the first
        dt_case{"la dechetri c ouvert dimanch", "fr", sat, "2026-11-29T00:00:00+01:00",
                "2026-11-30T00:00:00+01:00", "day", "dimanch"},
        dt_case{"ouvert mecredi ?", "fr", sat, "2026-12-02T00:00:00+01:00",
                "2026-12-03T00:00:00+01:00", "day", "mecredi"},
        dt_case{"samdi", "fr", sat, "2026-11-28T00:00:00+01:00", "2026-11-29T00:00:00+01:00",
                "day", "samdi"},
        dt_case{"le 24 decmbre", "fr", sat, "2026-12-24T00:00:00+01:00",
                "2026-12-25T00:00:00+01:00", "day", "le 24 decmbre"},
        dt_case{"mardi", "fr", sat, "2026-12-01T00:00:00+01:00", "2026-12-02T00:00:00+01:00", "day",
                ""},
        dt_case{"ce week-end", "fr", sat, "2026-11-28T00:00:00+01:00", "2026-11-30T00:00:00+01:00",
                "week", ""},
        dt_case{"la semaine prochaine", "fr", sat, "2026-11-30T00:00:00+01:00",
                "2026-12-07T00:00:00+01:00", "week", ""},
        dt_case{"la semaine pro", "fr", sat, "2026-11-30T00:00:00+01:00",  // SMS spelling
                "2026-12-07T00:00:00+01:00", "week", ""},
        dt_case{"le mois prochain", "fr", sat, "2026-12-01T00:00:00+01:00",
                "2027-01-01T00:00:00+01:00", "month", ""},
        // the week that holds a day, Monday to Sunday
        dt_case{"ouvert la semaine du 3 mai ?", "fr", sat, "2027-05-03T00:00:00+02:00",
                "2027-05-10T00:00:00+02:00", "week", "semaine du 3 mai"},
        dt_case{"la semaine du mercredi 16 decembre", "fr", sat, "2026-12-14T00:00:00+01:00",
                "2026-12-21T00:00:00+01:00", "week", "semaine du mercredi 16 decembre"}));

// An English ordinal after "on", the day of the month alone ("and on 24th?" was no date, and the
// emergency numbers answered it after the pool's hours).
INSTANTIATE_TEST_SUITE_P(
    ordinal_after_on, french_datetime,
    ::testing::Values(dt_case{"and on 24th?", "en", sat, "2026-12-24T00:00:00+01:00",
                              "2026-12-25T00:00:00+01:00", "day", "on 24th"}));

// A month or a season said as a period: the coming one, the current one until it is over.
INSTANTIATE_TEST_SUITE_P(
    months_and_seasons, french_datetime,
    ::testing::Values(dt_case{"la piscine en juillet", "fr", sat, "2027-07-01T00:00:00+02:00",
                              "2027-08-01T00:00:00+02:00", "month", "en juillet"},
                      dt_case{"horaires au mois d'août", "fr", sat, "2027-08-01T00:00:00+02:00",
                              "2027-09-01T00:00:00+02:00", "month", "au mois d'août"},
                      dt_case{"en novembre", "fr", sat, "2026-11-01T00:00:00+01:00",
                              "2026-12-01T00:00:00+01:00", "month", ""},
                      dt_case{"ouvert cet été ?", "fr", sat, "2027-07-01T00:00:00+02:00",
                              "2027-09-01T00:00:00+02:00", "month", "cet été"},
                      dt_case{"les horaires d'hiver", "fr", sat, "2026-12-01T00:00:00+01:00",
                              "2027-03-01T00:00:00+01:00", "month", "d'hiver"},
                      dt_case{"dechetterie horaires d ete", "fr", sat, "2027-07-01T00:00:00+02:00",
                              "2027-09-01T00:00:00+02:00", "month", "d ete"},
                      // a month's name alone
                      dt_case{"verre rue de la fontaine janvier", "fr", sat,
                              "2027-01-01T00:00:00+01:00", "2027-02-01T00:00:00+01:00", "month",
                              "janvier"},
                      dt_case{"pool hours in July", "en", sat, "2027-07-01T00:00:00+02:00",
                              "2027-08-01T00:00:00+02:00", "month", "in July"},
                      dt_case{"summer hours of the library", "en", sat, "2027-07-01T00:00:00+02:00",
                              "2027-09-01T00:00:00+02:00", "month", "summer"}));

// A weekday with a month or a season, either order: the first such day of it still to come.
INSTANTIATE_TEST_SUITE_P(
    weekday_in_a_period, french_datetime,
    ::testing::Values(
        dt_case{"la piscine le dimanche en été", "fr", sat, "2027-07-04T00:00:00+02:00",
                "2027-07-05T00:00:00+02:00", "day", "le dimanche en été"},
        dt_case{"ouvert le samedi en juillet ?", "fr", sat, "2027-07-03T00:00:00+02:00",
                "2027-07-04T00:00:00+02:00", "day", "le samedi en juillet"},
        dt_case{"en août le lundi", "fr", sat, "2027-08-02T00:00:00+02:00",
                "2027-08-03T00:00:00+02:00", "day", ""},
        // the period has begun: from today
        dt_case{"les samedis en novembre", "fr", sat, "2026-11-28T00:00:00+01:00",
                "2026-11-29T00:00:00+01:00", "day", "samedis en novembre"},
        dt_case{"open on Saturdays in July?", "en", sat, "2027-07-03T00:00:00+02:00",
                "2027-07-04T00:00:00+02:00", "day", "on Saturdays in July"},
        dt_case{"the pool on sundays during the summer", "en", sat, "2027-07-04T00:00:00+02:00",
                "2027-07-05T00:00:00+02:00", "day", "on sundays during the summer"},
        // a time or a part of the day in a month: its first day to come
        dt_case{"cimetière ouvert à 18h en juin", "fr", sat, "2027-06-01T18:00:00+02:00",
                "2027-06-01T19:00:00+02:00", "hour", "à 18h en juin"},
        dt_case{"ouverte le mardi matin en juillet ?", "fr", sat, "2027-07-06T06:00:00+02:00",
                "2027-07-06T12:00:00+02:00", "part_of_day", "le mardi matin en juillet"},
        dt_case{"en juillet le samedi matin", "fr", sat, "2027-07-03T06:00:00+02:00",
                "2027-07-03T12:00:00+02:00", "part_of_day", ""},
        dt_case{"cemetery open at 6pm in june", "en", sat, "2027-06-01T18:00:00+02:00",
                "2027-06-01T19:00:00+02:00", "hour", "at 6pm in june"}));

// A time between two others: "entre midi et deux" is the lunch break.
INSTANTIATE_TEST_SUITE_P(
    between_two_times, french_datetime,
    ::testing::Values(
        dt_case{"ouvert entre midi et deux mardi ?", "fr", sat, "2026-12-01T12:00:00+01:00",
                "2026-12-01T14:00:00+01:00", "instant", "entre midi et deux mardi"},
        dt_case{"la poste entre 12 et 14h", "fr", sat, "2026-11-29T12:00:00+01:00",
                "2026-11-29T14:00:00+01:00", "hour", "entre 12 et 14h"},
        dt_case{"open between noon and 2pm on tuesday", "en", sat, "2026-12-01T12:00:00+01:00",
                "2026-12-01T14:00:00+01:00", "instant", "between noon and 2pm on tuesday"},
        dt_case{"open between 2 and 4 tomorrow?", "en", sat, "2026-11-29T14:00:00+01:00",
                "2026-11-29T16:00:00+01:00", "hour", "between 2 and 4 tomorrow"}));

INSTANTIATE_TEST_SUITE_P(
    explicit_dates, french_datetime,
    ::testing::Values(dt_case{"le 3 mai", "fr", sat, "2027-05-03T00:00:00+02:00",
                              "2027-05-04T00:00:00+02:00", "day", ""},
                      dt_case{"3/05", "fr", sat, "2027-05-03T00:00:00+02:00",
                              "2027-05-04T00:00:00+02:00", "day", ""},
                      dt_case{"03/05/2027", "fr", sat, "2027-05-03T00:00:00+02:00",
                              "2027-05-04T00:00:00+02:00", "day", ""},
                      dt_case{"le 1er janvier", "fr", sat, "2027-01-01T00:00:00+01:00",
                              "2027-01-02T00:00:00+01:00", "day", ""},
                      // a day of the month alone: this month's, else the next month that has it
                      dt_case{"ouvert le 30 ?", "fr", sat, "2026-11-30T00:00:00+01:00",
                              "2026-12-01T00:00:00+01:00", "day", "le 30"},
                      dt_case{"et le 31 ?", "fr", sat, "2026-12-31T00:00:00+01:00",
                              "2027-01-01T00:00:00+01:00", "day", "le 31"},
                      dt_case{"le 31 au soir", "fr", sat, "2026-12-31T18:00:00+01:00",
                              "2027-01-01T00:00:00+01:00", "part_of_day", ""},
                      dt_case{"samedi 12", "fr", sat, "2026-12-12T00:00:00+01:00",
                              "2026-12-13T00:00:00+01:00", "day", ""},
                      dt_case{"le 14 juillet", "fr", sat, "2027-07-14T00:00:00+02:00",
                              "2027-07-15T00:00:00+02:00", "day", ""},
                      dt_case{"le 1er mai", "fr", sat, "2027-05-01T00:00:00+02:00",
                              "2027-05-02T00:00:00+02:00", "day", ""},
                      dt_case{"le 11 novembre", "fr", sat, "2027-11-11T00:00:00+01:00",
                              "2027-11-12T00:00:00+01:00", "day", ""},
                      dt_case{"le 30 novembre 2026", "fr", sat, "2026-11-30T00:00:00+01:00",
                              "2026-12-01T00:00:00+01:00", "day", ""}));

INSTANTIATE_TEST_SUITE_P(clock_times, french_datetime,
                         ::testing::Values(
                             // 14:30 has passed at 16:20: the next one is tomorrow's
                             dt_case{"à 14h30", "fr", sat, "2026-11-29T14:30:00+01:00",
                                     "2026-11-29T14:31:00+01:00", "instant", ""},
                             dt_case{"14 h", "fr", sat, "2026-11-29T14:00:00+01:00",
                                     "2026-11-29T15:00:00+01:00", "hour", ""},
                             dt_case{"14h", "fr", sat, "2026-11-29T14:00:00+01:00",
                                     "2026-11-29T15:00:00+01:00", "hour", ""},
                             dt_case{"à 18h", "fr", sat, "2026-11-28T18:00:00+01:00",
                                     "2026-11-28T19:00:00+01:00", "hour", ""},
                             dt_case{"à midi", "fr", sat, "2026-11-29T12:00:00+01:00",
                                     "2026-11-29T12:01:00+01:00", "instant", ""},
                             dt_case{"jusqu'à 18 heures", "fr", sat, "2026-11-28T18:00:00+01:00",
                                     "2026-11-28T19:00:00+01:00", "hour", "à 18 heures"},
                             dt_case{"À 9 H 15", "fr", sat, "2026-11-29T09:15:00+01:00",
                                     "2026-11-29T09:16:00+01:00", "instant", ""},
                             dt_case{"vers 9h", "fr", sat, "2026-11-29T09:00:00+01:00",
                                     "2026-11-29T10:00:00+01:00", "hour", ""},
                             dt_case{"à 8h du soir", "fr", sat, "2026-11-28T20:00:00+01:00",
                                     "2026-11-28T21:00:00+01:00", "hour", ""},
                             dt_case{"dans 2 heures", "fr", sat, "2026-11-28T18:20:00+01:00",
                                     "2026-11-28T18:21:00+01:00", "instant", ""},
                             dt_case{"dans une demi-heure", "fr", sat, "2026-11-28T16:50:00+01:00",
                                     "2026-11-28T16:51:00+01:00", "instant", ""},
                             dt_case{"dans 3 jours", "fr", sat, "2026-12-01T00:00:00+01:00",
                                     "2026-12-02T00:00:00+01:00", "day", ""}));

INSTANTIATE_TEST_SUITE_P(holidays, french_datetime,
                         ::testing::Values(
                             // Easter 2027 is 28 March, the day summer time starts (a 23-hour day)
                             dt_case{"Pâques", "fr", sat, "2027-03-28T00:00:00+01:00",
                                     "2027-03-29T00:00:00+02:00", "day", ""},
                             dt_case{"lundi de Pâques", "fr", sat, "2027-03-29T00:00:00+02:00",
                                     "2027-03-30T00:00:00+02:00", "day", ""},
                             dt_case{"l'Ascension", "fr", sat, "2027-05-06T00:00:00+02:00",
                                     "2027-05-07T00:00:00+02:00", "day", ""},
                             dt_case{"la Pentecôte", "fr", sat, "2027-05-16T00:00:00+02:00",
                                     "2027-05-17T00:00:00+02:00", "day", ""},
                             dt_case{"lundi de Pentecôte", "fr", sat, "2027-05-17T00:00:00+02:00",
                                     "2027-05-18T00:00:00+02:00", "day", ""},
                             dt_case{"Noël", "fr", sat, "2026-12-25T00:00:00+01:00",
                                     "2026-12-26T00:00:00+01:00", "day", ""},
                             dt_case{"le jour de l'an", "fr", sat, "2027-01-01T00:00:00+01:00",
                                     "2027-01-02T00:00:00+01:00", "day", ""},
                             dt_case{"la veille de Noël", "fr", sat, "2026-12-24T00:00:00+01:00",
                                     "2026-12-25T00:00:00+01:00", "day", ""},
                             // the festive days, Christmas Eve to New Year's Day, listed
                             dt_case{"ouvert pendant les fêtes ?", "fr", sat,
                                     "2026-12-24T00:00:00+01:00", "2027-01-02T00:00:00+01:00",
                                     "days", "les fêtes"},
                             dt_case{"la mairie pendant les vacances de Noël", "fr", sat,
                                     "2026-12-24T00:00:00+01:00", "2027-01-02T00:00:00+01:00",
                                     "days", "les vacances de Noël"},
                             dt_case{"les fêtes de fin d'année", "fr", "2027-01-01T10:00:00+01:00",
                                     "2026-12-24T00:00:00+01:00", "2027-01-02T00:00:00+01:00",
                                     "days", ""},
                             dt_case{"le réveillon du nouvel an", "fr", sat,
                                     "2026-12-31T00:00:00+01:00", "2027-01-01T00:00:00+01:00",
                                     "day", ""},
                             dt_case{"la Saint-Sylvestre", "fr", sat, "2026-12-31T00:00:00+01:00",
                                     "2027-01-01T00:00:00+01:00", "day", ""},
                             dt_case{"la Toussaint", "fr", sat, "2027-11-01T00:00:00+01:00",
                                     "2027-11-02T00:00:00+01:00", "day", ""}));

INSTANTIATE_TEST_SUITE_P(
    combinations, french_datetime,
    ::testing::Values(dt_case{"samedi à 10h", "fr", sat, "2026-11-28T10:00:00+01:00",
                              "2026-11-28T11:00:00+01:00", "hour", ""},
                      dt_case{"le 3 mai à 9h", "fr", sat, "2027-05-03T09:00:00+02:00",
                              "2027-05-03T10:00:00+02:00", "hour", ""},
                      dt_case{"demain vers 9h30", "fr", sat, "2026-11-29T09:30:00+01:00",
                              "2026-11-29T09:31:00+01:00", "instant", ""},
                      dt_case{"demain de 14h à 16h30", "fr", sat, "2026-11-29T14:00:00+01:00",
                              "2026-11-29T16:30:00+01:00", "hour", ""},
                      dt_case{"samedi 9h-12h", "fr", sat, "2026-11-28T09:00:00+01:00",
                              "2026-11-28T12:00:00+01:00", "hour", ""},
                      dt_case{"de 22h à 2h", "fr", sat, "2026-11-28T22:00:00+01:00",
                              "2026-11-29T02:00:00+01:00", "hour", "22h à 2h"},
                      dt_case{"ce soir à 8h", "fr", sat, "2026-11-28T20:00:00+01:00",
                              "2026-11-28T21:00:00+01:00", "hour", ""},
                      dt_case{"la mairie est-elle ouverte lundi matin ?", "fr", sat,
                              "2026-11-30T06:00:00+01:00", "2026-11-30T12:00:00+01:00",
                              "part_of_day", "lundi matin"}));

// Summer time starts on Sunday 2026-03-29 at 02:00 (-> 03:00); ends 2026-10-25 at 03:00.
INSTANTIATE_TEST_SUITE_P(
    dst_weeks, french_datetime,
    ::testing::Values(
        dt_case{"demain", "fr", "2026-03-28T10:00:00+01:00", "2026-03-29T00:00:00+01:00",
                "2026-03-30T00:00:00+02:00", "day", ""},
        dt_case{"dimanche à 14h", "fr", "2026-03-28T10:00:00+01:00", "2026-03-29T14:00:00+02:00",
                "2026-03-29T15:00:00+02:00", "hour", ""},
        // 02:30 does not exist that night: read with the winter offset, i.e. 03:30 summer time
        dt_case{"demain à 2h30", "fr", "2026-03-28T10:00:00+01:00", "2026-03-29T03:30:00+02:00",
                "2026-03-29T03:31:00+02:00", "instant", ""},
        dt_case{"dans 3 heures", "fr", "2026-03-29T01:30:00+01:00", "2026-03-29T05:30:00+02:00",
                "2026-03-29T05:31:00+02:00", "instant", ""},
        dt_case{"ce week-end", "fr", "2026-03-28T10:00:00+01:00", "2026-03-28T00:00:00+01:00",
                "2026-03-30T00:00:00+02:00", "week", ""},
        dt_case{"demain", "fr", "2026-10-24T12:00:00+02:00", "2026-10-25T00:00:00+02:00",
                "2026-10-26T00:00:00+01:00", "day", ""},
        // 02:30 happens twice: the first one (summer time)
        dt_case{"demain à 2h30", "fr", "2026-10-24T12:00:00+02:00", "2026-10-25T02:30:00+02:00",
                "2026-10-25T02:31:00+02:00", "instant", ""},
        dt_case{"demain à 10h", "fr", "2026-10-24T12:00:00+02:00", "2026-10-25T10:00:00+01:00",
                "2026-10-25T11:00:00+01:00", "hour", ""},
        dt_case{"la semaine prochaine", "fr", "2026-10-21T12:00:00+02:00",
                "2026-10-26T00:00:00+01:00", "2026-11-02T00:00:00+01:00", "week", ""}));

INSTANTIATE_TEST_SUITE_P(
    year_wrap, french_datetime,
    ::testing::Values(dt_case{"le 3 janvier", "fr", "2026-12-20T10:00:00+01:00",
                              "2027-01-03T00:00:00+01:00", "2027-01-04T00:00:00+01:00", "day", ""},
                      dt_case{"le 20 décembre", "fr", "2026-12-20T10:00:00+01:00",
                              "2026-12-20T00:00:00+01:00", "2026-12-21T00:00:00+01:00", "day", ""},
                      dt_case{"la semaine prochaine", "fr", "2026-12-30T10:00:00+01:00",
                              "2027-01-04T00:00:00+01:00", "2027-01-11T00:00:00+01:00", "week", ""},
                      dt_case{"Noël", "fr", "2026-12-26T10:00:00+01:00",
                              "2027-12-25T00:00:00+01:00", "2027-12-26T00:00:00+01:00", "day",
                              ""}));

// Spans of days: both ends included; a first day without its month takes the last one's.
INSTANTIATE_TEST_SUITE_P(
    day_spans, french_datetime,
    ::testing::Values(dt_case{"du 24 au 31 décembre", "fr", sat, "2026-12-24T00:00:00+01:00",
                              "2027-01-01T00:00:00+01:00", "days", ""},
                      dt_case{"ouvert entre le 24 et le 31 décembre ?", "fr", sat,
                              "2026-12-24T00:00:00+01:00", "2027-01-01T00:00:00+01:00", "days",
                              "entre le 24 et le 31 décembre"},
                      dt_case{"entre Noël et le jour de l'an", "fr", sat, "2026-12-25T00:00:00+01:00",
                              "2027-01-02T00:00:00+01:00", "days", ""},
                      dt_case{"du 28 au 3 janvier", "fr", sat, "2026-12-28T00:00:00+01:00",
                              "2027-01-04T00:00:00+01:00", "days", ""},
                      dt_case{"du lundi 7 décembre jusqu'au vendredi 11 décembre", "fr", sat,
                              "2026-12-07T00:00:00+01:00", "2026-12-12T00:00:00+01:00", "days", ""},
                      dt_case{"from 24 to 31 December", "en", sat, "2026-12-24T00:00:00+01:00",
                              "2027-01-01T00:00:00+01:00", "days", ""},
                      dt_case{"between Christmas and New Year's Day", "en", sat,
                              "2026-12-25T00:00:00+01:00", "2027-01-02T00:00:00+01:00", "days", ""}));

// Not spans: a backwards one, one too long, "du" before a single date.
TEST(french_datetime_negative, not_day_spans) {
    const extractor ex({});
    const auto now = unix_of(sat);
    for (const char* text : {"du 31 décembre au 24 décembre", "du 1er janvier au 31 décembre",
                             "le marché du 24 décembre"}) {
        for (const auto& e : ex.extract(text, "fr", now)) EXPECT_NE(e.grain, "days") << text;
    }
}

TEST(french_datetime_negative, ordinary_sentences_have_no_date) {
    const extractor ex({});
    const std::int64_t now = unix_of(sat);
    for (const char* text : {"j'ai 2 enfants", "Bonjour, je voudrais des informations",
                             "il a 3 ans", "la semaine de 35 heures", "en semaine",
                             "j'ai attendu 2 heures", "le 1er étage", "dans la semaine",
                             "appeler le 18 pour un nid de guêpes", "le 12 rue Victor Hugo",
                             "la médiathèque", "ouverture des inscriptions"}) {
        const auto all = ex.extract(text, "fr", now);
        EXPECT_TRUE(of_type(all, "datetime").empty()) << text << " -> " << describe(all);
    }
    const auto kids = ex.extract("j'ai 2 enfants", "fr", now);
    ASSERT_EQ(kids.size(), 1u) << describe(kids);
    EXPECT_EQ(kids[0].type, "number");
    EXPECT_EQ(kids[0].value, "2");
}

TEST(french_datetime_holidays, alsace_moselle_days_only_with_the_option) {
    options alsace;
    alsace.alsace_moselle = true;
    const extractor with(std::vector<gazetteer_entry>{}, alsace);
    const extractor without({});
    const std::int64_t now = unix_of(sat);
    const auto found = with.extract("fermé à la Saint-Étienne ?", "fr", now);
    ASSERT_EQ(found.size(), 1u) << describe(found);
    EXPECT_EQ(found[0].value, "2026-12-26T00:00:00+01:00");
    EXPECT_EQ(found[0].text, "la Saint-Étienne");
    EXPECT_TRUE(without.extract("fermé à la Saint-Étienne ?", "fr", now).empty());
    const auto boxing = without.extract("is the library open on Boxing Day", "en", now);
    ASSERT_EQ(boxing.size(), 1u) << describe(boxing);
    EXPECT_EQ(boxing[0].value, "2026-12-26T00:00:00+01:00");
    const auto friday = without.extract("le vendredi saint", "fr", now);
    ASSERT_EQ(friday.size(), 1u) << describe(friday);
    EXPECT_EQ(friday[0].value, "2027-03-26T00:00:00+01:00");
}

// "Les vacances de Noël" with the town's school calendar: the period Christmas Day falls in
// (19 December to 3 January), in both languages; "les fêtes" stay 24 December to 1 January.
// Days since 1970-01-01 of a date (school holidays are given so).
std::int64_t day(int y, unsigned m, unsigned d) {
    return std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d))
        .time_since_epoch()
        .count();
}

TEST(french_datetime_holidays, christmas_holidays_follow_the_school_calendar) {
    options school;
    school.school_holidays = {{day(2026, 10, 17), day(2026, 11, 1)}, {day(2026, 12, 19), day(2027, 1, 3)}};
    const extractor with(std::vector<gazetteer_entry>{}, school);
    const std::int64_t now = unix_of(sat);
    for (auto [text, lang] : {std::pair{"la piscine pendant les vacances de Noël", "fr"},
                              std::pair{"the pool over the Christmas holidays", "en"}}) {
        const auto found = with.extract(text, lang, now);
        ASSERT_EQ(found.size(), 1u) << describe(found);
        EXPECT_EQ(found[0].value, "2026-12-19T00:00:00+01:00") << text;
        EXPECT_EQ(found[0].stop, unix_of("2027-01-04T00:00:00+01:00")) << text;
    }
    const auto fetes = with.extract("ouvert pendant les fêtes ?", "fr", now);
    ASSERT_EQ(fetes.size(), 1u) << describe(fetes);
    EXPECT_EQ(fetes[0].value, "2026-12-24T00:00:00+01:00");
}

// "pendant les vacances": the school holidays under way (from today) or the next ones; none
// after the calendar's last period, nor for one named that the grammar does not know.
TEST(french_datetime_holidays, the_holidays_are_the_coming_school_holidays) {
    options school;
    school.school_holidays = {{day(2026, 10, 17), day(2026, 11, 1)}, {day(2026, 12, 19), day(2027, 1, 3)}};
    const extractor with(std::vector<gazetteer_entry>{}, school);
    for (auto [text, lang] : {std::pair{"la piscine pendant les vacances ?", "fr"},
                              std::pair{"c'est quand les prochaines vacances scolaires", "fr"},
                              std::pair{"is the pool open during the school holidays?", "en"}}) {
        const auto found = with.extract(text, lang, unix_of("2026-12-01T10:00:00+01:00"));
        ASSERT_EQ(found.size(), 1u) << text << describe(found);
        EXPECT_EQ(found[0].value, "2026-12-19T00:00:00+01:00") << text;
        EXPECT_EQ(found[0].stop, unix_of("2027-01-04T00:00:00+01:00")) << text;
    }
    // Under way: from today.
    const auto during = with.extract("la piscine pendant les vacances ?", "fr",
                                     unix_of("2026-10-20T10:00:00+02:00"));
    ASSERT_EQ(during.size(), 1u) << describe(during);
    EXPECT_EQ(during[0].value, "2026-10-20T00:00:00+02:00");
    EXPECT_EQ(during[0].stop, unix_of("2026-11-02T00:00:00+01:00"));
    EXPECT_TRUE(with.extract("la piscine pendant les vacances ?", "fr",
                             unix_of("2027-01-12T10:00:00+01:00")).empty());
    const auto winter = with.extract("la piscine pendant les vacances d'hiver", "fr",
                                     unix_of("2026-12-01T10:00:00+01:00"));
    for (const auto& e : winter)  // ("d'hiver", the season, is another matter)
        EXPECT_EQ(e.text.find("vacances"), std::string::npos) << describe(winter);
    EXPECT_TRUE(extractor(std::vector<gazetteer_entry>{}, options{})
                    .extract("la piscine pendant les vacances ?", "fr",
                             unix_of("2026-12-01T10:00:00+01:00")).empty());
}

TEST(french_datetime_negative, unknown_time_zone_is_refused) {
    options o;
    o.time_zone = "Europe/Nowhere";
    EXPECT_THROW(extractor({}, o), std::invalid_argument);
}

}  // namespace
}  // namespace guichet::entities::test
