/* db_image.c - looking up a database's build-time image and writing it to a file (see db_image.h). */
#include "db_image.h"

#include <string.h>
#include <sys/uio.h>

const db_image_t *db_image_find(const char *name, int version)
{
    for (const db_image_t *const *i = db_images; *i; i++)
        if ((*i)->version == version && strcmp((*i)->name, name) == 0)
            return *i;
    return NULL;
}

/* Pieces of a file gathered for writev: the runs, and a block of zeros as often as a gap needs. */
typedef struct {
    int fd, n, failed;
    size_t len;
    struct iovec iov[64];
} gather_t;

static void gather_flush(gather_t *g)
{
    if (g->n > 0 && writev(g->fd, g->iov, g->n) != (ssize_t)g->len)
        g->failed = 1; /* a short write too: the file is a temporary one to throw away */
    g->n = 0;
    g->len = 0;
}

static void gather_add(gather_t *g, const unsigned char *p, size_t len)
{
    if (g->n == (int)(sizeof(g->iov) / sizeof(g->iov[0])))
        gather_flush(g);
    g->iov[g->n++] = (struct iovec){(void *)p, len};
    g->len += len;
}

int db_image_write(const db_image_t *image, int fd)
{
    static const unsigned char zeros[4096];
    gather_t g = {.fd = fd};
    const unsigned char *p = image->bytes;
    size_t at = 0;
    for (size_t i = 0; i <= image->nruns; i++) {
        size_t next = i < image->nruns ? image->runs[i].at : image->size;
        for (size_t gap; at < next; at += gap)
            gather_add(&g, zeros, gap = next - at < sizeof(zeros) ? next - at : sizeof(zeros));
        if (i < image->nruns) {
            gather_add(&g, p, image->runs[i].len);
            p += image->runs[i].len;
            at += image->runs[i].len;
        }
    }
    gather_flush(&g);
    return g.failed ? -1 : 0;
}
