#include "internal.h"

#define STR_(x) #x
#define STR(x)  STR_(x)

const char *sockport_version(void)
{
    return STR(SOCKPORT_VERSION_MAJOR) "." STR(SOCKPORT_VERSION_MINOR) "." STR(
        SOCKPORT_VERSION_PATCH);
}
