/* Test helper: see proc.h. */
#include "sp_platform.h" /* first: it selects the POSIX feature set */

#include "proc.h"

#include <stdbool.h>
#include <stdlib.h>

#ifdef _WIN32

struct proc {
    HANDLE handle;
    bool reaped;
};

/* Appends arg to cmd, quoted the way CommandLineToArgvW reads it back. */
static void append_arg(char *cmd, size_t cap, const char *arg)
{
    size_t n = strlen(cmd), slashes = 0;
    if (n + 1 < cap && n > 0)
        cmd[n++] = ' ';
    if (n + 1 < cap)
        cmd[n++] = '"';
    for (const char *c = arg; *c != '\0' && n + 2 * slashes + 3 < cap; c++) {
        slashes = *c == '\\' ? slashes + 1 : 0;
        if (*c == '"') {
            for (size_t i = 0; i <= slashes; i++)
                cmd[n++] = '\\';
        }
        cmd[n++] = *c;
    }
    for (size_t i = 0; i < slashes && n + 2 < cap; i++)
        cmd[n++] = '\\';
    if (n + 1 < cap)
        cmd[n++] = '"';
    cmd[n] = '\0';
}

static HANDLE open_std(const char *path, bool write)
{
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE};
    return CreateFileA(path, write ? GENERIC_WRITE : GENERIC_READ,
                       FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, &sa,
                       write ? CREATE_ALWAYS : OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
}

static int spawn(proc *p, char *cmd, HANDLE std[3])
{
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = std[0];
    si.hStdOutput = std[1];
    si.hStdError = std[2];
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
        return -1;
    CloseHandle(pi.hThread);
    p->handle = pi.hProcess;
    return 0;
}

int proc_start(proc **out, const char *const *argv, const char *in, const char *out_path,
               const char *err_path)
{
    static char cmd[32768];
    cmd[0] = '\0';
    for (size_t i = 0; argv[i] != NULL; i++)
        append_arg(cmd, sizeof cmd, argv[i]);
    HANDLE std[3] = {open_std(in, false), open_std(out_path, true), open_std(err_path, true)};
    proc *p = calloc(1, sizeof *p);
    int rc = -1;
    if (p != NULL && std[0] != INVALID_HANDLE_VALUE && std[1] != INVALID_HANDLE_VALUE &&
        std[2] != INVALID_HANDLE_VALUE)
        rc = spawn(p, cmd, std);
    for (int i = 0; i < 3; i++) {
        if (std[i] != INVALID_HANDLE_VALUE)
            CloseHandle(std[i]);
    }
    if (rc != 0)
        free(p);
    else
        *out = p;
    return rc;
}

int proc_poll(proc *p, int *code)
{
    DWORD status = 0;
    if (!p->reaped && WaitForSingleObject(p->handle, 0) != WAIT_OBJECT_0)
        return 0;
    GetExitCodeProcess(p->handle, &status);
    p->reaped = true;
    *code = (int)status;
    return 1;
}

static void kill_proc(proc *p)
{
    TerminateProcess(p->handle, 137);
    WaitForSingleObject(p->handle, INFINITE);
    p->reaped = true;
}

static void release(proc *p)
{
    CloseHandle(p->handle);
}

#else /* POSIX */

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

struct proc {
    pid_t pid;
    bool reaped;
    int code;
};

static int add_files(posix_spawn_file_actions_t *fa, const char *in, const char *out,
                     const char *err)
{
    const int w = O_WRONLY | O_CREAT | O_TRUNC;
    if (posix_spawn_file_actions_addopen(fa, 0, in, O_RDONLY, 0) != 0 ||
        posix_spawn_file_actions_addopen(fa, 1, out, w, 0600) != 0 ||
        posix_spawn_file_actions_addopen(fa, 2, err, w, 0600) != 0)
        return -1;
    return 0;
}

int proc_start(proc **out, const char *const *argv, const char *in, const char *out_path,
               const char *err_path)
{
    posix_spawn_file_actions_t fa;
    proc *p = calloc(1, sizeof *p);
    if (p == NULL || posix_spawn_file_actions_init(&fa) != 0) {
        free(p);
        return -1;
    }
    int rc = add_files(&fa, in, out_path, err_path);
    if (rc == 0 &&
        posix_spawn(&p->pid, argv[0], &fa, NULL, (char *const *)(uintptr_t)argv, environ) != 0)
        rc = -1;
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        free(p);
    else
        *out = p;
    return rc;
}

static void record(proc *p, int status)
{
    p->reaped = true;
    p->code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int proc_poll(proc *p, int *code)
{
    int status = 0;
    if (!p->reaped && waitpid(p->pid, &status, WNOHANG) != p->pid)
        return 0;
    if (!p->reaped)
        record(p, status);
    *code = p->code;
    return 1;
}

static void kill_proc(proc *p)
{
    int status = 0;
    kill(p->pid, SIGKILL);
    while (waitpid(p->pid, &status, 0) < 0 && errno == EINTR)
        ;
    record(p, status);
}

static void release(proc *p)
{
    (void)p;
}

#endif

int proc_wait(proc *p, int64_t timeout_ms, int *code)
{
    int64_t deadline = sp_now_ms() + timeout_ms;
    while (!proc_poll(p, code)) {
        if (sp_now_ms() >= deadline) {
            kill_proc(p);
            return -1;
        }
        sp_sleep_ms(5);
    }
    return 0;
}

void proc_free(proc *p)
{
    if (p == NULL)
        return;
    if (!p->reaped)
        kill_proc(p);
    release(p);
    free(p);
}
