/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 *
 * faultfs: a FUSE filesystem of a few files that fail on purpose, for the tests (FaultFs.java builds it with gcc
 * against libfuse3 and mounts it under target/). One flat directory; the files live in memory and start with the
 * tests' pattern bytes (TestFiles.patternByte). Each file's faults are given on the command line:
 *
 *   faultfs MOUNTPOINT NAME:SIZE[:FAULT]... [NAME:SIZE[:FAULT]...]... -- [FUSE options]
 *
 *   short=N     a read returns at most N bytes (the file is direct_io, so the short count reaches the caller)
 *   eio=OFF     a read whose range holds byte OFF fails with EIO
 *   delay=MS    every read and write first sleeps MS milliseconds
 *   hang=PATH   reads and writes wait until PATH exists (the test creates it to let them go)
 *   enospc=MAX  a write that would make the file larger than MAX bytes fails with ENOSPC (writes below MAX,
 *               and a write that ends exactly at it, succeed)
 *   direct      direct_io without any other fault
 *
 * It runs in the foreground, multithreaded (a hung read holds one FUSE thread, not the filesystem); the test
 * unmounts it with umount(8), which ends it.
 */
#define FUSE_USE_VERSION 31
#include <fuse.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_FILES 32

struct fault_file {
    char name[128];
    uint8_t *data;
    size_t size;
    size_t capacity;
    long short_read;   /* 0: none */
    long long eio_at;  /* -1: none */
    long delay_ms;
    char hang_path[512];
    long long enospc_max; /* -1: none */
    int direct_io;
};

static struct fault_file files[MAX_FILES];
static int file_count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint8_t pattern_byte(uint64_t offset) {
    return (uint8_t) (offset * 31 + (offset >> 8) * 7 + 1);
}

static struct fault_file *find(const char *path) {
    if (path[0] != '/') {
        return NULL;
    }
    for (int i = 0; i < file_count; i++) {
        if (strcmp(files[i].name, path + 1) == 0) {
            return &files[i];
        }
    }
    return NULL;
}

static void pause_ms(long ms) {
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static int faultfs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi) {
    (void) fi;
    memset(st, 0, sizeof(*st));
    if (strcmp(path, "/") == 0) {
        st->st_mode = S_IFDIR | 0755;
        st->st_nlink = 2;
        return 0;
    }
    struct fault_file *f = find(path);
    if (f == NULL) {
        return -ENOENT;
    }
    pthread_mutex_lock(&lock);
    st->st_mode = S_IFREG | 0644;
    st->st_nlink = 1;
    st->st_size = (off_t) f->size;
    st->st_blksize = 4096;
    st->st_blocks = (blkcnt_t) ((f->size + 511) / 512);
    pthread_mutex_unlock(&lock);
    return 0;
}

static int faultfs_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t offset,
                           struct fuse_file_info *fi, enum fuse_readdir_flags flags) {
    (void) offset;
    (void) fi;
    (void) flags;
    if (strcmp(path, "/") != 0) {
        return -ENOENT;
    }
    filler(buf, ".", NULL, 0, 0);
    filler(buf, "..", NULL, 0, 0);
    for (int i = 0; i < file_count; i++) {
        filler(buf, files[i].name, NULL, 0, 0);
    }
    return 0;
}

static int faultfs_open(const char *path, struct fuse_file_info *fi) {
    struct fault_file *f = find(path);
    if (f == NULL) {
        return -ENOENT;
    }
    fi->direct_io = f->direct_io;
    return 0;
}

/* The delay and the hold of a read or write. */
static void wait_as_told(const struct fault_file *f) {
    if (f->delay_ms > 0) {
        pause_ms(f->delay_ms);
    }
    if (f->hang_path[0] != '\0') {
        while (access(f->hang_path, F_OK) != 0) {
            pause_ms(5);
        }
    }
}

static int faultfs_read(const char *path, char *buf, size_t size, off_t offset, struct fuse_file_info *fi) {
    (void) fi;
    struct fault_file *f = find(path);
    if (f == NULL) {
        return -ENOENT;
    }
    wait_as_told(f);
    if (f->eio_at >= 0 && (long long) offset <= f->eio_at && f->eio_at < (long long) offset + (long long) size) {
        return -EIO;
    }
    pthread_mutex_lock(&lock);
    size_t n = 0;
    if ((size_t) offset < f->size) {
        n = f->size - (size_t) offset;
        if (n > size) {
            n = size;
        }
        if (f->short_read > 0 && n > (size_t) f->short_read) {
            n = (size_t) f->short_read;
        }
        memcpy(buf, f->data + offset, n);
    }
    pthread_mutex_unlock(&lock);
    return (int) n;
}

static int faultfs_write(const char *path, const char *buf, size_t size, off_t offset, struct fuse_file_info *fi) {
    (void) fi;
    struct fault_file *f = find(path);
    if (f == NULL) {
        return -ENOENT;
    }
    wait_as_told(f);
    size_t end = (size_t) offset + size;
    if (f->enospc_max >= 0 && end > (size_t) f->enospc_max) {
        return -ENOSPC;
    }
    pthread_mutex_lock(&lock);
    if (end > f->capacity) {
        size_t capacity = end * 2;
        uint8_t *grown = realloc(f->data, capacity);
        if (grown == NULL) {
            pthread_mutex_unlock(&lock);
            return -ENOMEM;
        }
        f->data = grown;
        f->capacity = capacity;
    }
    if ((size_t) offset > f->size) {
        memset(f->data + f->size, 0, (size_t) offset - f->size);
    }
    memcpy(f->data + offset, buf, size);
    if (end > f->size) {
        f->size = end;
    }
    pthread_mutex_unlock(&lock);
    return (int) size;
}

static int faultfs_truncate(const char *path, off_t length, struct fuse_file_info *fi) {
    (void) fi;
    struct fault_file *f = find(path);
    if (f == NULL) {
        return -ENOENT;
    }
    if (f->enospc_max >= 0 && (long long) length > f->enospc_max) {
        return -ENOSPC;
    }
    pthread_mutex_lock(&lock);
    if ((size_t) length > f->capacity) {
        uint8_t *grown = realloc(f->data, (size_t) length);
        if (grown == NULL) {
            pthread_mutex_unlock(&lock);
            return -ENOMEM;
        }
        f->data = grown;
        f->capacity = (size_t) length;
    }
    if ((size_t) length > f->size) {
        memset(f->data + f->size, 0, (size_t) length - f->size);
    }
    f->size = (size_t) length;
    pthread_mutex_unlock(&lock);
    return 0;
}

static int faultfs_fsync(const char *path, int datasync, struct fuse_file_info *fi) {
    (void) datasync;
    (void) fi;
    return find(path) == NULL ? -ENOENT : 0;
}

static const struct fuse_operations operations = {
    .getattr = faultfs_getattr,
    .readdir = faultfs_readdir,
    .open = faultfs_open,
    .read = faultfs_read,
    .write = faultfs_write,
    .truncate = faultfs_truncate,
    .fsync = faultfs_fsync,
};

/* NAME:SIZE[:FAULT]... -> files[file_count++]; 0, or -1 after a message on stderr. */
static int parse_file(char *spec) {
    if (file_count == MAX_FILES) {
        fprintf(stderr, "faultfs: more than %d files\n", MAX_FILES);
        return -1;
    }
    struct fault_file *f = &files[file_count];
    memset(f, 0, sizeof(*f));
    f->eio_at = -1;
    f->enospc_max = -1;
    char *save = NULL;
    char *name = strtok_r(spec, ":", &save);
    char *size = strtok_r(NULL, ":", &save);
    if (name == NULL || size == NULL || strlen(name) >= sizeof(f->name) || strchr(name, '/') != NULL) {
        fprintf(stderr, "faultfs: bad file spec (NAME:SIZE[:FAULT]...)\n");
        return -1;
    }
    strcpy(f->name, name);
    f->size = (size_t) strtoull(size, NULL, 10);
    f->capacity = f->size > 0 ? f->size : 1;
    f->data = malloc(f->capacity);
    if (f->data == NULL) {
        fprintf(stderr, "faultfs: no memory for %s\n", name);
        return -1;
    }
    for (size_t i = 0; i < f->size; i++) {
        f->data[i] = pattern_byte(i);
    }
    for (char *fault = strtok_r(NULL, ":", &save); fault != NULL; fault = strtok_r(NULL, ":", &save)) {
        if (strncmp(fault, "short=", 6) == 0) {
            f->short_read = atol(fault + 6);
            f->direct_io = 1;
        } else if (strncmp(fault, "eio=", 4) == 0) {
            f->eio_at = atoll(fault + 4);
        } else if (strncmp(fault, "delay=", 6) == 0) {
            f->delay_ms = atol(fault + 6);
        } else if (strncmp(fault, "hang=", 5) == 0 && strlen(fault + 5) < sizeof(f->hang_path)) {
            strcpy(f->hang_path, fault + 5);
        } else if (strncmp(fault, "enospc=", 7) == 0) {
            f->enospc_max = atoll(fault + 7);
        } else if (strcmp(fault, "direct") == 0) {
            f->direct_io = 1;
        } else {
            fprintf(stderr, "faultfs: unknown fault '%s'\n", fault);
            return -1;
        }
    }
    file_count++;
    return 0;
}

int main(int argc, char *argv[]) {
    if (argc < 3) {
        fprintf(stderr, "usage: faultfs MOUNTPOINT NAME:SIZE[:FAULT]... [-- FUSE options]\n");
        return 2;
    }
    int i = 2;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (parse_file(argv[i]) != 0) {
            return 2;
        }
    }
    /* fuse_main's own arguments: program, mount point, foreground, then whatever follows "--". */
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
