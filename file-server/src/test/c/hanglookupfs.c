/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 *
 * hanglookupfs: a FUSE filesystem whose lookups hang, for the file server's tests (HangingLookupIT builds it with
 * gcc against libfuse3 and mounts it under the served root). One flat directory of regular files named on the
 * command line; a file's content is "content of NAME\n".
 *
 *   hanglookupfs MOUNTPOINT FLAGDIR NAME... -- [FUSE options]
 *
 * The attributes of a file whose name starts with "hang" (what the kernel asks for when it looks the name up)
 * are answered only once FLAGDIR/release exists; on entering that wait the daemon creates FLAGDIR/entered-NAME, so
 * the test knows a lookup is held without timing anything. Other names answer at once. It runs in the
 * foreground, multithreaded (a held lookup holds one FUSE thread, not the filesystem); the test unmounts it with
 * umount(8), which ends it.
 */
#define FUSE_USE_VERSION 31
#include <fuse.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_FILES 64

static char *names[MAX_FILES];
static int name_count;
static const char *flag_dir;

static const char *find(const char *path) {
    if (path[0] != '/') {
        return NULL;
    }
    for (int i = 0; i < name_count; i++) {
        if (strcmp(names[i], path + 1) == 0) {
            return names[i];
        }
    }
    return NULL;
}

static size_t content(const char *name, char *buf, size_t size) {
    int n = snprintf(buf, size, "content of %s\n", name);
    return n < 0 ? 0 : (size_t) n < size ? (size_t) n : size - 1;
}

/* Says the lookup of NAME is held, then holds it until the release flag exists. */
static void hold(const char *name) {
    char path[4096];
    snprintf(path, sizeof(path), "%s/entered-%s", flag_dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) {
        close(fd);
    }
    snprintf(path, sizeof(path), "%s/release", flag_dir);
    struct timespec step = { 0, 5 * 1000000L };
    while (access(path, F_OK) != 0) {
        nanosleep(&step, NULL);
    }
}

static int hl_getattr(const char *path, struct stat *st, struct fuse_file_info *fi) {
    (void) fi;
    memset(st, 0, sizeof(*st));
    if (strcmp(path, "/") == 0) {
        st->st_mode = S_IFDIR | 0755;
        st->st_nlink = 2;
        return 0;
    }
    const char *name = find(path);
    if (name == NULL) {
        return -ENOENT;
    }
    if (strncmp(name, "hang", 4) == 0) {
        hold(name);
    }
    char buf[512];
    st->st_mode = S_IFREG | 0644;
    st->st_nlink = 1;
    st->st_size = (off_t) content(name, buf, sizeof(buf));
    return 0;
}

static int hl_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t offset,
                      struct fuse_file_info *fi, enum fuse_readdir_flags flags) {
    (void) offset;
    (void) fi;
    (void) flags;
    if (strcmp(path, "/") != 0) {
        return -ENOENT;
    }
    filler(buf, ".", NULL, 0, 0);
    filler(buf, "..", NULL, 0, 0);
    for (int i = 0; i < name_count; i++) {
        filler(buf, names[i], NULL, 0, 0);
    }
    return 0;
}

static int hl_open(const char *path, struct fuse_file_info *fi) {
    (void) fi;
    return find(path) == NULL ? -ENOENT : 0;
}

static int hl_read(const char *path, char *buf, size_t size, off_t offset, struct fuse_file_info *fi) {
    (void) fi;
    const char *name = find(path);
    if (name == NULL) {
        return -ENOENT;
    }
    char data[512];
    size_t length = content(name, data, sizeof(data));
    if ((size_t) offset >= length) {
        return 0;
    }
    size_t n = length - (size_t) offset;
    if (n > size) {
        n = size;
    }
    memcpy(buf, data + offset, n);
    return (int) n;
}

static const struct fuse_operations operations = {
    .getattr = hl_getattr,
    .readdir = hl_readdir,
    .open = hl_open,
    .read = hl_read,
};

int main(int argc, char *argv[]) {
    if (argc < 4) {
        fprintf(stderr, "usage: hanglookupfs MOUNTPOINT FLAGDIR NAME... [-- FUSE options]\n");
        return 2;
    }
    flag_dir = argv[2];
    int i = 3;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (name_count == MAX_FILES || strchr(argv[i], '/') != NULL || strlen(argv[i]) > 255) {
            fprintf(stderr, "hanglookupfs: bad or too many names\n");
            return 2;
        }
        names[name_count++] = argv[i];
    }
    char *fuse_argv[64];
    int fuse_argc = 0;
    fuse_argv[fuse_argc++] = argv[0];
    fuse_argv[fuse_argc++] = argv[1];
    fuse_argv[fuse_argc++] = "-f";
    for (i = i + 1; i < argc && fuse_argc < 63; i++) {
        fuse_argv[fuse_argc++] = argv[i];
    }
    fuse_argv[fuse_argc] = NULL;
    return fuse_main(fuse_argc, fuse_argv, &operations, NULL);
}
