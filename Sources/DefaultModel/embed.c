#include "DefaultModel.h"

/* .incbin makes the shipped model part of the executable, so the built binary
   works wherever it is copied. The assembler finds the file through the
   header search path Package.swift sets to Models/. After retraining, touch
   this file (scripts/train-default-model does) so the build embeds anew. */
__asm__(
    ".section .rodata\n"
    ".balign 16\n"
    ".global stance_default_model_start\n"
    "stance_default_model_start:\n"
    ".incbin \"default.stance\"\n"
    ".global stance_default_model_end\n"
    "stance_default_model_end:\n"
    ".previous\n");

extern const unsigned char stance_default_model_start[];
extern const unsigned char stance_default_model_end[];

const unsigned char *stance_default_model_bytes(void) { return stance_default_model_start; }
size_t stance_default_model_size(void) {
    return (size_t)(stance_default_model_end - stance_default_model_start);
}
