#ifndef STANCE_DEFAULT_MODEL_H
#define STANCE_DEFAULT_MODEL_H
#include <stddef.h>
/* The bytes of Models/default.stance, linked into the binary (see embed.c). */
const unsigned char *stance_default_model_bytes(void);
size_t stance_default_model_size(void);
#endif
