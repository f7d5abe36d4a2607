/* db_image.c - looking up a database's build-time image and expanding its runs (see db_image.h). */
#include "db_image.h"

#include <stdlib.h>
#include <string.h>

const db_image_t *db_image_find(const char *name, int version)
{
    for (const db_image_t *const *i = db_images; *i; i++)
        if ((*i)->version == version && strcmp((*i)->name, name) == 0)
            return *i;
    return NULL;
}

unsigned char *db_image_bytes(const db_image_t *image)
{
    unsigned char *out = calloc(1, image->size);
    if (out == NULL)
        return NULL;
    const unsigned char *p = image->bytes;
    for (size_t i = 0; i < image->nruns; i++) {
        memcpy(out + image->runs[i].at, p, image->runs[i].len);
        p += image->runs[i].len;
    }
    return out;
}
