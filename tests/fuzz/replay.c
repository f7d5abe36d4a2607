/* replay.c - runs a fuzz target's LLVMFuzzerTestOneInput on files, without libFuzzer: what the default
 * (gcc) builds link the targets with, so that every build compiles them (they once fell behind the APIs
 * they drive, unseen, while only the clang build made them) and CTest replays each corpus, under the
 * sanitizers in .ci/run's ASan build. Arguments: files, or directories whose files are read. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads path whole and runs the target on it; -1 if it cannot be read. */
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0, n;
    do {
        if (len == cap) {
            uint8_t *grown = realloc(buf, cap = cap ? 2 * cap : 4096);
            if (grown == NULL) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = grown;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    return 0;
}

/* Replays path, or each regular file in it if it is a directory; returns the number of files replayed, or -1. */
static int replay(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        return replay_file(path) == 0 ? 1 : -1;
    DIR *d = opendir(path);
    if (d == NULL)
        return -1;
    int count = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        char file[4096];
        snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
        if (stat(file, &st) == 0 && S_ISREG(st.st_mode) && replay_file(file) == 0)
            count++;
    }
    closedir(d);
    return count;
}

int main(int argc, char **argv)
{
    int total = 0;
    for (int i = 1; i < argc; i++) {
        int n = replay(argv[i]);
        if (n < 0) {
            fprintf(stderr, "replay: cannot read %s\n", argv[i]);
            return 1;
        }
        total += n;
    }
    printf("replayed %d inputs\n", total);
    return total > 0 ? 0 : 1;
}
