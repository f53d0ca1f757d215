// handoff: puts the citizen in touch with a human. When the agents are on duty (the opening
// hours of the front desk, the place the host names — `agents.desk_place` — in the knowledge
// base, evaluated by the host's hours service, and at least one agent signed in to the
// console, as the host says)
// the conversation joins the agents' inbox queue; otherwise the bot says so — when the desk
// reopens (ICU-formatted), or that nobody is signed in — and offers a call-back or an e-mail
// request, stored as a ticket once the citizen gives a phone number or an address.
#include <guichet/answers.hpp>
#include <guichet/sdk.hpp>

#include <cstddef>
#include <string>

namespace {

using guichet::answers::call_the_desk;
using guichet::answers::mentions_any;
using guichet::answers::says_no;

// Whether a message has words, not only a phone number: three letters or more.
bool has_words(std::string_view text) {
    return std::count_if(text.begin(), text.end(),
                         [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }) >= 3;
}

constexpr std::int64_t look_ahead = 14 * 24 * 3600;  // how far to look for the next opening

class handoff {
public:
    explicit handoff(guichet::sdk::host& h) : host_(h) {}

    void handle(guichet::sdk::turn t) {
        // A site-wide alert ("l'accueil ferme à 12 h le 24 décembre"), or one for the desk.
        guichet::answers::show_alerts(t, t.intent(), {std::string(t.desk_place())});
        if (!has_store(t)) {
            t.say(t.tr("Pour parler à un agent, ", "To talk to someone, ") +
                  call_the_desk(t).words + ".");
            return t.finish();
        }
        std::string payload(t.payload());
        std::string phone(t.slot("phone")), email(t.slot("email"));
        std::string choice(t.memory("form.handoff.choice"));
        // "vous allez me rappeler quand ?" with a request waiting (the engine forgets it once
        // an agent has closed it): that request, not a second one. (Asking for someone again
        // is another request: a person at the desk, or another way to be answered.)
        if (const std::string pending(t.memory("handoff.pending"));
            !pending.empty() && payload.empty() && phone.empty() && email.empty() && choice.empty() &&
            mentions_any(t.text(), {"quand", "toujours", "nouvelles", "attend", "combien de temps",
                                    "bientôt", "bientot", "when", "still", "news", "wait",
                                    "how long", "soon"})) {
            std::int64_t next = 0;
            const bool open = desk_open(t, next);
            const std::string when = reopening(t, next);
            t.say(t.tr("Votre demande ", "Your request ") + pending +
                  (open ? t.tr(" est bien enregistrée : un agent vous recontacte dès qu'il est libre.",
                               " is recorded: a member of staff will contact you as soon as they "
                               "are free.")
                        : t.tr(" est bien enregistrée : un agent vous recontactera dès l'ouverture "
                               "de l'accueil",
                               " is recorded: a member of staff will contact you as soon as the "
                               "front desk opens") +
                              (when.empty() ? std::string() : " (" + when + ")") +
                              ".") +
                  t.tr(" Pour l'annuler, dites « annuler ».", " To cancel it, say \"cancel\"."));
            return t.finish();
        }
        // The offer of a call-back or an e-mail answered in words, where buttons are not
        // pressed (a screen reader, WhatsApp without them, SMS habits): "rappelez-moi",
        // "par mail", the number or the address itself, or "non merci".
        const std::string offered(t.memory("form.handoff.offered"));
        if (!offered.empty() && choice.empty() && payload.empty()) {
            t.forget("form.handoff.offered");
            t.forget("dialogue.expect");
            if (!phone.empty()) choice = "callback";
            else if (!email.empty()) choice = "email";
            else if (says_no(t.text())) {
                t.say(t.tr("D'accord. Que puis-je faire d'autre pour vous ?",
                           "All right. What else can I do for you?"));
                return t.finish();
            } else if (payload = asked_choice(t.text()); payload.empty()) {
                // Asked once more, then the next message is understood as any other.
                t.say(t.tr("Voulez-vous être rappelé (donnez votre numéro de téléphone) ou "
                           "recevoir une réponse par e-mail (donnez votre adresse) ?",
                           "Would you like a call back (give your phone number) or an answer "
                           "by e-mail (give your address)?"));
                if (offered == "1") offer(t, "2");
                else offer_buttons(t);
                return t.finish();
            }
        }
        if (payload == "@handoff.request callback" || payload == "@handoff.request email")
            return ask_contact(t, payload.substr(payload.find(' ') + 1));
        if (!choice.empty()) {
            // The other kind of contact given ("call me back" answered with an e-mail address):
            // the request follows what was given, and says so.
            std::string contact = choice == "callback" ? phone : email;
            if (contact.empty() && !(choice == "callback" ? email : phone).empty()) {
                choice = choice == "callback" ? "email" : "callback";
                contact = choice == "callback" ? phone : email;
            }
            if (contact.empty()) {
                t.say(choice == "callback"
                          ? t.tr("Je n'ai pas reconnu de numéro de téléphone (ex. 06 12 34 56 78). "
                                 "Pouvez-vous le redonner ?",
                                 "I did not recognise a phone number (e.g. 06 12 34 56 78). Could "
                                 "you give it again?")
                          : t.tr("Je n'ai pas reconnu d'adresse e-mail (ex. nom@exemple.fr). "
                                 "Pouvez-vous la redonner ?",
                                 "I did not recognise an e-mail address (e.g. name@example.org). "
                                 "Could you give it again?"));
                return t.finish();
            }
            return take_request(t, choice, contact);
        }

        std::int64_t next = 0;
        const bool desk = desk_open(t, next);
        // Open hours promise nobody when no agent is signed in to answer.
        const bool open_now = desk && t.agents_signed_in().value_or(1) > 0;
        // "rappelez-moi au 06 12 34 56 78" while the desk is open: a call-back, with its number
        // (the queue would lose it); "rappelez-moi" alone: the number is asked for (it became a
        // live conversation, that a citizen who asked to be called may never come back to read).
        if (auto asked = asked_choice(t.text()); open_now && !asked.empty()) {
            const std::string chosen = asked.substr(asked.find(' ') + 1);
            if (const std::string& given = chosen == "callback" ? phone : email; !given.empty())
                return take_request(t, chosen, given);
            if (asks_a_call(t.text()) || asks_by_mail(t.text()))
                return ask_contact(t, chosen);
        }
        if (open_now) {
            std::string ticket = request(t, "queue", "", std::string(t.text()));
            if (ticket.empty()) return t.finish();
            t.say(t.tr("Je vous mets en relation avec un agent de la mairie. Restez sur cette "
                       "conversation : il va vous répondre ici dans quelques minutes.",
                       "I am putting you in touch with a member of staff. Stay in this "
                       "conversation: they will answer you here in a few minutes."));
            return t.finish();
        }
        using guichet::answers::local_day_number;
        const bool today = next && local_day_number(t, next) == local_day_number(t, t.now());
        const std::string when = reopening(t, next);
        std::string text;
        if (desk) {
            const auto call = call_the_desk(t);
            text = std::string(t.tr("L'accueil est ouvert, mais aucun agent n'est connecté pour "
                                    "vous répondre ici en ce moment",
                                    "The front desk is open, but no member of staff is signed in "
                                    "to answer you here right now")) +
                   (call.phone ? t.tr(" ; sinon, ", "; otherwise, ") + call.words
                               : std::string()) +
                   ".";
        } else {
            text = t.tr("Aucun agent n'est disponible pour le moment.",
                        "Nobody is available right now.");
        }
        if (!when.empty())
            text += std::string(t.tr(" L'accueil rouvre ", today ? " The front desk reopens "
                                                                 : " The front desk reopens on ")) +
                    when + ".";
        // "c'est urgent, la rue est inondée": nobody until the morning, so the town's on-call
        // service and 112 first (the call-back offered after them).
        if (mentions_any(t.text(), {"urgent", "urgence", "vite", "emergency"}))
            if (const std::string on_call = guichet::answers::on_call_service(t); !on_call.empty())
                text += t.tr(" Si c'est urgent : pour la voirie, une inondation ou un bâtiment communal, ",
                             " If it is urgent: for roads, flooding or a town building, ") +
                        on_call +
                        t.tr(" ; en cas de danger pour des personnes, le 112.",
                             "; if anyone is in danger, 112.");
        // "rappelez-moi", "répondez-moi par e-mail": the choice is made already, and with the
        // number or the address ("rappelez-moi au 06 12 34 56 78") the request is taken; so it
        // is with a number given with the request ("quelqu'un peut me joindre ? 06 12 34 56
        // 78"; a number sent alone asks for nothing).
        auto asked = asked_choice(t.text());
        if (asked.empty() && !phone.empty() && has_words(t.text())) asked = "@handoff.request callback";
        if (!asked.empty()) {
            const std::string chosen = asked.substr(asked.find(' ') + 1);
            if (const std::string& given = chosen == "callback" ? phone : email; !given.empty())
                return take_request(t, chosen, given, text + " ");
            return ask_contact(t, chosen, text + " ");
        }
        text += t.tr(" Voulez-vous être rappelé, ou recevoir une réponse par e-mail ?",
                     " Would you like a call back, or an answer by e-mail?");
        t.say(text);
        offer(t, "1");
        t.finish();
    }

private:
    // When the desk reopens, written as the hours plugin writes it: "lundi 30 novembre à
    // 8 h 30", the time alone later the same day ("à 9 h"); "" when not known.
    static std::string reopening(const guichet::sdk::turn& t, std::int64_t next) {
        using guichet::answers::local_day_number;
        if (!next) return {};
        const bool today = local_day_number(t, next) == local_day_number(t, t.now());
        return (today ? std::string() : guichet::answers::day_label(t, next) + " ") +
               t.tr("à ", "at ") + guichet::answers::clock_label(t, next);
    }

    // The button a typed answer to the offer stands for, if any.
    static std::string asked_choice(std::string_view text) {
        // "je n'ai pas de téléphone", "no e-mail": no choice made (both are offered).
        if (mentions_any(text, {"pas de tel", "pas de tél", "pas de portable", "pas de mail", "pas d'e-mail",
                                "pas d'email", "pas d'adresse mail", "sans téléphone", "sans telephone",
                                "no phone", "no e-mail", "no email", "t have a phone", "not have a phone",
                                "t have an e-mail", "t have an email", "not have an e-mail", "not have an email"}))
            return {};
        // "mon numéro est le …, mon mail …, rappelez-moi": the way asked for, not the first named
        // ("ne me rappelez pas, répondez par mail": by e-mail).
        if (asks_by_mail(text)) return "@handoff.request email";
        if (asks_a_call(text)) return "@handoff.request callback";
        if (mentions_any(text, {"mail", "courriel"})) return "@handoff.request email";
        if (mentions_any(text, {"appel", "téléphone", "telephone", "tel ", "call", "phone"}))
            return "@handoff.request callback";
        return {};
    }

    // "rappelez-moi", "appelez-moi", "call me back", "répondez-moi par mail": the citizen asks
    // for that way of being answered, not merely mentions a phone ("je n'ai pas de téléphone").
    static bool asks_a_call(std::string_view text) {
        return mentions_any(text, {"rappel", "appelez", "appeler moi", "call me", "ring me", "phone me"});
    }
    static bool asks_by_mail(std::string_view text) {
        return mentions_any(text, {"par mail", "par e-mail", "par courriel", "by e-mail", "by email",
                                   "e-mail me", "email me"});
    }

    // Whether the front desk is open now (its agents on duty); else `next`: when it reopens
    // (0: not within two weeks, or no hours known).
    static bool desk_open(const guichet::sdk::turn& t, std::int64_t& next) {
        const auto desk = guichet::answers::front_desk(t);
        next = 0;
        if (!desk || desk->opening_hours.empty()) return false;
        for (auto& i : t.hours(desk->opening_hours, t.now(), t.now() + look_ahead)) {
            if (i.unknown) continue;
            if (i.start <= t.now() && t.now() < i.end) return true;
            if (i.start > t.now()) {
                next = i.start;
                return false;
            }
        }
        return false;
    }

    // The request stored, and said so after `before`.
    void take_request(const guichet::sdk::turn& t, const std::string& choice,
                      const std::string& contact, const std::string& before = {}) {
        // What the citizen said with the contact ("06 12 34 56 78 après 18 h svp", "c'est pour
        // ma carte grise") is for the agent who calls back.
        std::string ticket =
            request(t, choice, contact, has_words(t.text()) ? std::string(t.text()) : std::string());
        t.forget("form.handoff.choice");
        t.forget("dialogue.expect");
        if (ticket.empty()) return t.finish();
        // "annuler" next cancels it (the engine closes the request: an agent would call).
        t.remember("handoff.pending", ticket);
        std::int64_t next = 0;
        const bool open = desk_open(t, next);
        t.say(
            before + t.tr("C'est noté (demande ", "Noted (request ") + ticket +
            (choice == "callback"
                 ? (open ? t.tr("). Un agent va vous rappeler, dès qu'il est libre.",
                                "). A member of staff will call you back as soon as they are free.")
                         : t.tr("). Un agent vous rappellera dès l'ouverture de l'accueil.",
                                "). An agent will call you back as soon as the front desk opens."))
                 : (open
                        ? t.tr("). Un agent va vous répondre par e-mail, dès qu'il est libre.",
                               "). A member of staff will answer by e-mail as soon as they are "
                               "free.")
                        : t.tr("). Un agent vous répondra par e-mail dès l'ouverture de l'accueil.",
                               "). An agent will answer by e-mail as soon as the front desk "
                               "opens."))));
        t.finish();
    }

    // "callback" or "email" chosen: the number or the address is asked for, after `before`.
    static void ask_contact(const guichet::sdk::turn& t, const std::string& choice,
                            const std::string& before = {}) {
        t.remember("form.handoff.choice", choice);
        t.remember("dialogue.expect", "handoff.request");
        t.say(before + (choice == "callback"
                            ? t.tr("À quel numéro un agent peut-il vous rappeler ?",
                                   "Which phone number should an agent call you back on?")
                            : t.tr("À quelle adresse e-mail un agent peut-il vous répondre ?",
                                   "Which e-mail address should an agent answer to?")));
        t.finish();
    }

    // The offer's answer is expected (`times`: how often it was made), typed or pressed.
    static void offer(const guichet::sdk::turn& t, const char* times) {
        t.remember("form.handoff.offered", times);
        t.remember("dialogue.expect", "handoff.request");
        offer_buttons(t);
    }
    static void offer_buttons(const guichet::sdk::turn& t) {
        t.button(t.tr("Être rappelé", "Call me back"), "@handoff.request callback");
        t.button(t.tr("Réponse par e-mail", "Answer by e-mail"), "@handoff.request email");
    }

    static bool has_store(const guichet::sdk::turn& t) {
        return t.api()->abi_minor >= 1 &&
               t.api()->struct_size >= offsetof(guichet_host_api, export_user_data) + sizeof(void*);
    }

    std::string request(const guichet::sdk::turn& t, const std::string& kind,
                        const std::string& contact, const std::string& note) {
        char ticket[64] = {0}, error[256] = {0};
        if (t.api()->handoff_request(t.handle(), kind.c_str(), contact.c_str(), note.c_str(),
                                     ticket, sizeof ticket, error, sizeof error) != 0) {
            host_.warn(std::string("handoff_request failed: ") + error);
            t.say(t.tr("Désolé, je n'ai pas pu transmettre votre demande : ",
                       "Sorry, I could not pass your request on: please ") +
                  call_the_desk(t).words + ".");
            return {};
        }
        return ticket;
    }

    guichet::sdk::host& host_;
};

}  // namespace

GUICHET_SDK_PLUGIN(handoff, "handoff", "1.0.0", 0, "handoff.request")
