/*
 * The one allocation hook. sockport allocates only socket handles (one block
 * each, never on an I/O path), so a replaceable malloc/free pair is enough.
 */
#include "internal.h"

#include <stdlib.h>

static void *default_alloc(size_t size, void *userdata)
{
    (void)userdata;
    return malloc(size);
}

static void default_free(void *ptr, size_t size, void *userdata)
{
    (void)size;
    (void)userdata;
    free(ptr);
}

static sockport_allocator allocator = {default_alloc, default_free, NULL};

int sockport_set_allocator(const sockport_allocator *a)
{
    if (a == NULL) {
        allocator.alloc = default_alloc;
        allocator.free = default_free;
        allocator.userdata = NULL;
        return 0;
    }
    if (a->alloc == NULL || a->free == NULL)
        return SOCKPORT__EINVAL();
    allocator = *a;
    return 0;
}

void *sockport__alloc(size_t size)
{
    return allocator.alloc(size, allocator.userdata);
}

void sockport__free(void *p, size_t size)
{
    if (p != NULL)
        allocator.free(p, size, allocator.userdata);
}
