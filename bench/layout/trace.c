/*
 * LD_PRELOAD shim (bench/layout/run.sh) that finds exactly which code pages of libsamsa a run executes. The
 * library's executable mapping is made PROT_NONE at load; the first instruction fetched from each page faults into
 * this SIGSEGV handler, which records the page and makes it executable again. The NativeAOT runtime installs its own
 * SIGSEGV handler later (null references become exceptions): that call is intercepted and the runtime's handler is
 * kept as the next one, for every fault outside libsamsa's code. At exit the executed pages are written to
 * $TRACE_OUT, one file offset per line (hex).
 *
 * Why not read /proc/PID/smaps or pagemap instead: the kernel maps up to 64 KiB around each page faulted in
 * (fault-around), so resident pages say little about which code ran.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE 4096UL

static uintptr_t code_start, code_end, code_offset; /* libsamsa's r-xp mapping and its offset in the file */
static unsigned char *executed;                       /* one flag per page of it */
static struct sigaction next_handler;                 /* the runtime's, once it installs one */
static int have_next_handler;
static int (*real_sigaction)(int, const struct sigaction *, struct sigaction *);

static void on_segv(int sig, siginfo_t *info, void *context)
{
    uintptr_t address = (uintptr_t)info->si_addr;
    if (address >= code_start && address < code_end) {
        uintptr_t page = address & ~(PAGE - 1);
        executed[(page - code_start) / PAGE] = 1;
        mprotect((void *)page, PAGE, PROT_READ | PROT_EXEC);
        return;
    }
    if (have_next_handler && (next_handler.sa_flags & SA_SIGINFO) && next_handler.sa_sigaction) {
        next_handler.sa_sigaction(sig, info, context);
    } else if (have_next_handler && next_handler.sa_handler != SIG_DFL && next_handler.sa_handler != SIG_IGN) {
        next_handler.sa_handler(sig);
    } else {
        signal(SIGSEGV, SIG_DFL); /* a real crash: let it happen when the instruction runs again */
    }
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    if (!real_sigaction) real_sigaction = (int (*)(int, const struct sigaction *, struct sigaction *))dlsym(RTLD_NEXT, "sigaction");
    if (sig != SIGSEGV || !executed) return real_sigaction(sig, act, old);
    if (old) {
        if (have_next_handler) {
            *old = next_handler;
        } else {
            memset(old, 0, sizeof *old);
            old->sa_handler = SIG_DFL;
        }
    }
    if (act) {
        next_handler = *act;
        have_next_handler = 1;
    }
    return 0;
}

__attribute__((constructor)) static void trace_start(void)
{
    real_sigaction = (int (*)(int, const struct sigaction *, struct sigaction *))dlsym(RTLD_NEXT, "sigaction");
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[512];
    while (maps && fgets(line, sizeof line, maps)) {
        if (strstr(line, "libsamsa.so") && strstr(line, " r-xp ")) {
            unsigned long start, end, offset;
            if (sscanf(line, "%lx-%lx %*s %lx", &start, &end, &offset) == 3) {
                code_start = start;
                code_end = end;
                code_offset = offset;
            }
        }
    }
    if (maps) fclose(maps);
    if (!code_start) return; /* a child process without libsamsa */
    executed = calloc((code_end - code_start) / PAGE, 1);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    real_sigaction(SIGSEGV, &sa, NULL);
    mprotect((void *)code_start, code_end - code_start, PROT_NONE);
}

__attribute__((destructor)) static void trace_stop(void)
{
    const char *path = getenv("TRACE_OUT");
    if (!path || !executed) return;
    FILE *out = fopen(path, "w");
    size_t pages = 0;
    for (uintptr_t i = 0; i < (code_end - code_start) / PAGE; i++) {
        if (executed[i]) {
            fprintf(out, "%lx\n", (unsigned long)(code_offset + i * PAGE));
            pages++;
        }
    }
    fclose(out);
    fprintf(stderr, "trace: %zu pages of libsamsa code executed\n", pages);
}
