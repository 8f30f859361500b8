/*
 * The portable error table's strings, and the per-thread native code behind
 * the last failure. Everything here is generated from SOCKPORT_ERRNO_MAP.
 */
#include "internal.h"

static _Thread_local int last_os_error;

const char *sockport_strerror(int err)
{
    switch (err) {
#define MESSAGE_CASE(name, value, msg)                                                             \
    case SOCKPORT_##name:                                                                          \
        return msg;
        SOCKPORT_ERRNO_MAP(MESSAGE_CASE)
#undef MESSAGE_CASE
    default:
        return "unknown error";
    }
}

const char *sockport_err_name(int err)
{
    switch (err) {
#define NAME_CASE(name, value, msg)                                                                \
    case SOCKPORT_##name:                                                                          \
        return #name;
        SOCKPORT_ERRNO_MAP(NAME_CASE)
#undef NAME_CASE
    default:
        return "EUNKNOWN";
    }
}

int sockport_last_os_error(void)
{
    return last_os_error;
}

void sockport_backend_set_os_error(int code)
{
    last_os_error = code;
}

int sockport__fail(int err, int os_code)
{
    last_os_error = os_code;
    return err;
}
