/* The plugin header compiles on its own, as C, with nothing included before it. */
#include <guichet/plugin.h>

int guichet_plugin_header_compiles_alone(void) { return GUICHET_ABI_MAJOR; }
