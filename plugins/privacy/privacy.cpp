// privacy: the citizen's rights over their data. Access ("je veux voir mes données"): what
// the engine keeps about them on this channel, told in the chat (ABI 1.1 export_user_data).
// Erasure ("supprime mes données"): asks for confirmation, then has the engine erase the
// citizen's conversations, messages and personal details (erase_user_data; anonymous counts
// stay). The notice itself is a static answer.
#include <guichet/answers.hpp>
#include <guichet/sdk.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace {

// The data protection officer's address (the default commune's; also in privacy.notice).
constexpr const char* dpo = "dpo@saint-exemple-sur-loire.fr";

using guichet::answers::says_no;
using guichet::answers::says_yes;

class privacy {
public:
    explicit privacy(guichet::sdk::host& h) : host_(h) {}

    void handle(guichet::sdk::turn t) {
        if (t.intent() == "privacy.access") return access(t);
        const bool has_store = t.has_store();
        // The button, or a typed "oui" / "yes" to the question (no buttons on every channel,
        // and many type their answer anyway).
        const bool asked = t.memory("dialogue.expect") == "privacy.erase";
        const bool confirmed =
            t.payload() == "@privacy.erase confirm" || (asked && says_yes(t.text()));
        if (asked && !confirmed && says_no(t.text())) {
            t.forget("dialogue.expect");
            t.say(t.tr("D'accord, je ne supprime rien.", "All right, I am not deleting anything."));
            return t.finish();
        }
        if (!confirmed) {
            t.say(t.tr("Je peux effacer vos conversations et vos coordonnées (vos signalements "
                       "restent, sans vos coordonnées, pour être traités). Cette action est "
                       "définitive. Je supprime vos données ?",
                       "I can erase your conversations and contact details (your reports stay, "
                       "without your details, so they can be handled). This cannot be undone. "
                       "Shall I delete your data?"));
            t.button(t.tr("Oui, tout supprimer", "Yes, delete everything"), "@privacy.erase confirm");
            t.button(t.tr("Non, garder", "No, keep it"), t.tr("laisse tomber", "never mind"));
            t.remember("dialogue.expect", "privacy.erase");
            return t.finish();
        }
        t.forget("dialogue.expect");
        std::int64_t n = has_store ? t.api()->erase_user_data(t.handle()) : -1;
        if (n < 0) {
            host_.warn("erase_user_data failed");
            could_not(t, "effacer vos données", "erase your data");
            return t.finish();
        }
        t.say(t.tr("C'est fait : vos conversations et vos coordonnées ont été effacées.",
                   "Done: your conversations and contact details have been erased."));
        t.finish();
    }

private:
    // "Je n'ai pas pu effacer vos données. Écrivez au délégué…": the engine failed; the citizen
    // keeps a way to exercise the right.
    static void could_not(const guichet::sdk::turn& t, const char* fr, const char* en) {
        t.say(t.fr() ? std::string("Je n'ai pas pu ") + fr +
                           ". Écrivez au délégué à la protection des données : " + dpo + "."
                     : std::string("I could not ") + en +
                           ". Please write to the data protection officer: " + dpo + ".");
    }

    // "Vous gardez 14 messages de notre conversation, depuis le 28 novembre 2026 ; le
    // signalement 2026-0042 …": each kind of record, counted or listed, then how long it is
    // kept and whom to write to for a full copy or a correction.
    void access(guichet::sdk::turn& t) {
        std::size_t messages = 0;
        std::int64_t since = 0;
        std::vector<std::pair<std::string, std::int64_t>> reports, requests;  // ticket, date
        try {
            t.export_user_data([&](const guichet::sdk::row& r) {
                std::string_view kind = r[0];
                auto at = static_cast<std::int64_t>(r.number(1));
                if (kind.starts_with("message.")) {
                    ++messages;
                    if (since == 0 || at < since) since = at;
                } else if (kind == "report" || kind == "handoff") {
                    // By its ticket: the citizen can ask about it by that number; the details
                    // are the staff's export.
                    (kind == "report" ? reports : requests)
                        .emplace_back(guichet::answers::record_ticket(r[2]), at);
                }
                return true;
            });
        } catch (const std::exception& e) {
            host_.warn(std::string("export_user_data failed: ") + e.what());
            could_not(t, "retrouver vos données", "look up your data");
            return t.finish();
        }
        std::string s;
        if (messages == 0 && reports.empty() && requests.empty()) {
            s = t.tr("Je ne garde encore rien de vous sur ce canal, en dehors de cette conversation.",
                     "I keep nothing about you on this channel yet, apart from this conversation.");
        } else {
            s = t.tr("Voici ce que je garde de vous sur ce canal :",
                     "Here is what I keep about you on this channel:");
            if (messages > 0)
                s += t.fr() ? "\n– " + std::to_string(messages) +
                                  " messages de nos conversations, depuis le " +
                                  guichet::answers::day_label(t, since, "dMMMMy") + " ;"
                            : "\n– " + std::to_string(messages) +
                                  " messages of our conversations, since " +
                                  guichet::answers::day_label(t, since, "dMMMMy") + ";";
            auto list = [&](const auto& tickets, const char* fr, const char* en) {
                for (auto& [ticket, at] : tickets)
                    s += std::string(t.tr(fr, en)) + ticket + t.tr(" du ", " of ") +
                         guichet::answers::day_label(t, at, "dMMMMy") + t.tr(" ;", ";");
            };
            list(reports, "\n– le signalement ", "\n– report ");
            list(requests, "\n– la demande de contact ", "\n– contact request ");
            s += std::string(t.tr("\nLes messages sont effacés au bout de 3 mois, les signalements "
                                  "au bout d'un an. Pour en recevoir une copie complète ou les "
                                  "corriger, écrivez au délégué à la protection des données : ",
                                  "\nMessages are erased after 3 months, reports after a year. "
                                  "For a full copy or a correction, write to the data protection "
                                  "officer: ")) +
                 dpo + ".";
        }
        t.say(s);
        t.button(t.tr("Supprimer mes données", "Delete my data"),
                 t.tr("supprime mes données", "delete my data"));
        t.finish();
    }

    guichet::sdk::host& host_;
};

}  // namespace

GUICHET_SDK_PLUGIN(privacy, "privacy", "1.1.0", 0, "privacy.erase", "privacy.access")
