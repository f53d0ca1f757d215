// Entity extraction for citizens' messages: dates and times (French first, English too),
// numbers, postcodes, ticket numbers, e-mail addresses, phone numbers, and a fuzzy
// gazetteer of the commune's services and streets. Used by the NLU to fill slots.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hours/opening_hours.h"

namespace guichet::entities {

// One thing found in a message. Entities returned by extract() never overlap and are
// sorted by `begin`.
struct entity {
    // "datetime", "number", "postcode", "ticket", "email", "phone", or a gazetteer type
    // ("service", "street", ...).
    std::string type;
    // Canonical value: gazetteer id; number as decimal ("20", "2.5"); postcode "75001";
    // ticket "2026-0042"; email lower-cased; phone E.164 ("+33612345678"); datetime the
    // local ISO-8601 start ("2026-12-05T00:00:00+01:00").
    std::string value;
    std::string text;                // the bytes matched in the original text
    std::size_t begin = 0, end = 0;  // byte offsets [begin, end) in the original text
    double score = 1.0;              // 1 exact; lower for fuzzy gazetteer matches
    // datetime only: the period meant, Unix seconds [start, stop), and its grain:
    // "instant" (a minute: "14h30", "now", "in 2 hours"), "hour" ("14h"), "part_of_day"
    // ("demain matin"), "day", "days" (a span of days, both ends included: "du 24 au 31
    // décembre", "between Christmas and New Year's Day"), "week" (also "ce week-end":
    // Saturday 00:00 to Monday 00:00) or "month". A time of day was given iff grain is
    // "instant", "hour" or "part_of_day".
    // A clock interval ("de 9h à 12h", "9am to 5pm") keeps the grain of its start and
    // stops at its end (the next day if it wraps past midnight).
    std::int64_t start = 0, stop = 0;
    std::string grain;
    // datetime only: no day was said, only a time or a part of the day ("et à 14h ?", "et le
    // soir ?"), or a day counted from the one talked about ("le lendemain": after_days 1). The
    // period is then today's (tomorrow's); a follow-up moves it to the day talked about.
    bool day_said = true;
    int after_days = 0;
    // datetime only: the day is a weekday said alone ("samedi", "on Monday"): its next one from
    // today, which a follow-up may move after the day talked about ("et lundi ?" after Sunday).
    bool weekday_alone = false;
    // datetime only: a day of the month said without its month ("le 2", "the 2nd"): its next
    // one from today, which a follow-up may move after the day talked about ("et le 2 ?" after
    // "le 1er janvier" is 2 January).
    bool day_of_month_alone = false;
};

// One gazetteer entry. `names`: the official name and synonyms, any language. Names that
// start with a street-type word followed by a proper name ("rue Victor Hugo") also match
// without it ("victor hugo"), at a lower score; not when an article follows the type
// ("rue de la Gare": "gare" alone is not the street); such a name also matches with another
// street type ("rue de la gare" for "avenue de la Gare", at the lower score) unless another
// entry's name has the same words after its type. A leading article is optional.
// Typos: one per word of 5-8 letters (no substitution in words of 5-6 letters: "porte" is
// not "poste"), two for longer words; score 1 - 0.1 x typos.
struct gazetteer_entry {
    std::string type;
    std::string id;
    std::vector<std::string> names;
};

struct options {
    std::string time_zone = "Europe/Paris";  // IANA id; an unknown id is refused
    bool alsace_moselle = false;             // for holidays specific to Alsace-Moselle
    // Sentences written with care (the FAQ's questions and answers): a word of theirs is a
    // real word, no typo of a place's name ("le maire" is not "la mairie", "nationalité" not
    // "rue Nationale"), unless it is that name's plural or singular.
    std::vector<std::string> prose;
    // The town's school holidays (knowledge/school_holidays.yaml): "les vacances de Noël" are
    // the period Christmas Day falls in; without it, 24 December to 1 January.
    std::vector<hours::school_holiday> school_holidays;
    // The towns of the places' addresses ("Saint-Exemple-sur-Loire"): "la piscine de saint
    // exemple", written without capitals, is the town's own pool, no other's.
    std::vector<std::string> towns;
};

// `text` with the bytes of each entity found in it turned into spaces: the words around the
// names ("et pour la piscine ?" → "et pour la         ?").
std::string without_entities(std::string text, const std::vector<entity>& found);

// `text` with each span [begin, end) (sorted or not; overlaps merged) turned into the one word
// `word`: "poubelles avenue Jean Jaurès" → "poubelles rue". For the classifier, what tells
// intents apart is that a street was named, not which one (an example naming avenue Jean
// Jaurès must not draw every question about it to its intent).
std::string spans_as_word(std::string_view text,
                          std::vector<std::pair<std::size_t, std::size_t>> spans,
                          std::string_view word);

class extractor_impl;

// Immutable after construction: extract() is const and thread-safe, any number of threads
// may call it on one extractor at once.
class extractor {
  public:
    // Precomputes the gazetteer indexes (exact tokens and typo-tolerant deletion index).
    // Throws std::invalid_argument if opts.time_zone is not a known time zone. Entries with
    // no usable name are ignored.
    explicit extractor(std::vector<gazetteer_entry> gazetteer, options opts = {});
    ~extractor();
    extractor(extractor&&) noexcept;
    extractor& operator=(extractor&&) noexcept;

    // text: UTF-8 (anything: invalid bytes, emoji, control chars give fewer entities, never
    //   a crash); only the first 4,096 bytes are read (cut at a UTF-8 boundary).
    // lang: "fr" or "en" (a region suffix like "fr-FR" is accepted; other values: French).
    // now: Unix seconds, the reference for relative dates ("demain", "samedi", "à 14h").
    std::vector<entity> extract(std::string_view text, std::string_view lang,
                                std::int64_t now) const;

    static constexpr std::size_t max_input_bytes = 4096;

  private:
    std::unique_ptr<const extractor_impl> impl_;
};

}  // namespace guichet::entities
