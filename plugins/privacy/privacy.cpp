// privacy: the citizen's right to erasure ("supprime mes données"). Asks for confirmation,
// then has the engine erase the citizen's conversations, messages and personal details
// (ABI 1.1 erase_user_data; anonymous counts stay). The notice itself is a static answer.
#include <guichet/answers.hpp>
#include <guichet/sdk.hpp>

#include <cstddef>
#include <string>

namespace {

using guichet::answers::says_no;
using guichet::answers::says_yes;

class privacy {
public:
    explicit privacy(guichet::sdk::host& h) : host_(h) {}

    void handle(guichet::sdk::turn t) {
        bool has_store = t.api()->abi_minor >= 1 &&
                         t.api()->struct_size >=
                             offsetof(guichet_host_api, export_user_data) + sizeof(void*);
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
            t.say(t.tr("Je n'ai pas pu effacer vos données. Écrivez au délégué à la protection des "
                       "données : dpo@saint-exemple-sur-loire.fr.",
                       "I could not erase your data. Please write to the data protection officer: "
                       "dpo@saint-exemple-sur-loire.fr."));
            return t.finish();
        }
        t.say(t.tr("C'est fait : vos conversations et vos coordonnées ont été effacées.",
                   "Done: your conversations and contact details have been erased."));
        t.finish();
    }

private:
    guichet::sdk::host& host_;
};

}  // namespace

GUICHET_SDK_PLUGIN(privacy, "privacy", "1.0.0", 0, "privacy.erase")
