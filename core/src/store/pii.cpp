// What the store keeps of free text is masked by the same rules as the logs (ops/mask.cpp):
// one set of patterns for every place personal data could land.
#include "store/pii.h"

#include "ops/mask.h"

namespace guichet::store {

std::string mask_pii(const std::string& text) { return ops::mask_personal_data(text); }

}  // namespace guichet::store
