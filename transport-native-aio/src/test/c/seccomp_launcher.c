/*
 * Copyright 2026 The netty-transport-aio authors.
 * Licensed under the Apache License, Version 2.0.
 *
 * seccomp_launcher: runs a command under a seccomp filter that makes the named system calls fail with the named
 * errno, as a container runtime's profile would (Docker's default profile answered io_setup with EPERM for years),
 * for the tests of what the transport says when AIO is refused. Built by TestNatives.java with gcc.
 *
 *   seccomp_launcher SYSCALL=ERRNO [SYSCALL=ERRNO]... -- COMMAND [ARG]...
 *
 * SYSCALL is one of io_setup io_submit io_getevents io_pgetevents io_destroy io_cancel eventfd2 epoll_create1
 * openat2 io_uring_setup io_uring_enter io_uring_register (Docker's and containerd's default profiles refuse the
 * last three with EPERM); ERRNO one of EPERM ENOSYS EAGAIN EACCES ENOMEM. Every other call is allowed. The filter stays in force
 * across the exec and in every thread and child of the command (no_new_privs is set first, as an unprivileged
 * filter needs).
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define LAUNCHER_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define LAUNCHER_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "seccomp_launcher: unknown architecture"
#endif

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef SYS_io_uring_setup
#define SYS_io_uring_setup 425
#define SYS_io_uring_enter 426
#define SYS_io_uring_register 427
#endif

struct name_value {
    const char *name;
    long value;
};

static const struct name_value syscalls[] = {
    {"io_setup", SYS_io_setup}, {"io_submit", SYS_io_submit}, {"io_getevents", SYS_io_getevents},
    {"io_pgetevents", SYS_io_pgetevents}, {"io_destroy", SYS_io_destroy}, {"io_cancel", SYS_io_cancel},
    {"eventfd2", SYS_eventfd2}, {"epoll_create1", SYS_epoll_create1}, {"openat2", SYS_openat2},
    {"io_uring_setup", SYS_io_uring_setup}, {"io_uring_enter", SYS_io_uring_enter},
    {"io_uring_register", SYS_io_uring_register},
};

static const struct name_value errnos[] = {
    {"EPERM", EPERM}, {"ENOSYS", ENOSYS}, {"EAGAIN", EAGAIN}, {"EACCES", EACCES}, {"ENOMEM", ENOMEM},
};

static long lookup(const struct name_value *table, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++) {
        if (strcmp(table[i].name, name) == 0) {
            return table[i].value;
        }
    }
    return -1;
}

#define MAX_RULES 16

int main(int argc, char *argv[]) {
    /* Architecture check, then per rule: load nr (once), compare, return the errno; else allow. */
    struct sock_filter prog[4 + 2 * MAX_RULES + 1];
    unsigned short len = 0;
    prog[len++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    prog[len++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, LAUNCHER_AUDIT_ARCH, 1, 0);
    prog[len++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
    prog[len++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
    int i = 1;
    int rules = 0;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        char rule[64];
        if (strlen(argv[i]) >= sizeof(rule) || rules == MAX_RULES) {
            fprintf(stderr, "seccomp_launcher: bad or too many rules\n");
            return 2;
        }
        strcpy(rule, argv[i]);
        char *eq = strchr(rule, '=');
        if (eq == NULL) {
            fprintf(stderr, "seccomp_launcher: '%s' is not SYSCALL=ERRNO\n", argv[i]);
            return 2;
        }
        *eq = '\0';
        long nr = lookup(syscalls, sizeof(syscalls) / sizeof(syscalls[0]), rule);
        long err = lookup(errnos, sizeof(errnos) / sizeof(errnos[0]), eq + 1);
        if (nr < 0 || err < 0) {
            fprintf(stderr, "seccomp_launcher: unknown system call or errno in '%s'\n", argv[i]);
            return 2;
        }
        prog[len++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned int) nr, 0, 1);
        prog[len++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K,
                SECCOMP_RET_ERRNO | ((unsigned int) err & SECCOMP_RET_DATA));
        rules++;
    }
    if (i + 1 >= argc) {
        fprintf(stderr, "usage: seccomp_launcher SYSCALL=ERRNO... -- COMMAND [ARG]...\n");
        return 2;
    }
    prog[len++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    struct sock_fprog fprog = { len, prog };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        perror("seccomp_launcher: prctl(PR_SET_NO_NEW_PRIVS)");
        return 2;
    }
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) != 0) {
        perror("seccomp_launcher: prctl(PR_SET_SECCOMP)");
        return 2;
    }
    execvp(argv[i + 1], &argv[i + 1]);
    perror("seccomp_launcher: execvp");
    return 127;
}
