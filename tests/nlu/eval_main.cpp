// Tiny driver for development: runs run_nlu_command on the command line's arguments.
#include <iostream>

#include "nlu/eval_command.h"
int main(int argc, char** argv) {
    return guichet::nlu::run_nlu_command({argv + 1, argv + argc}, std::cout, std::cerr);
}
