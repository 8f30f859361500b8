/*
 * The inputs of the differential oracle test: every text of
 * tests/addr_vectors.h without a zone or brackets, then deterministic
 * generated ones (a fixed xorshift seed, so every platform and run sees the
 * same list): single-edit mutations of the valid vectors, dotted quads made
 * of tricky octets, colon-separated groups with tricky groups, and random
 * strings over the address alphabet.
 */
#include "oracle.h"

#include "addr_vectors.h"

#include <stdlib.h>
#include <string.h>

static uint64_t rng = 0x9e3779b97f4a7c15u;

static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static void add(oracle_inputs *in, const char *text)
{
    if (strchr(text, '%') != NULL || strchr(text, '[') != NULL || strlen(text) >= ORACLE_TEXT_MAX)
        return;
    if (in->n == in->cap) {
        in->cap = in->cap * 2 + 1024;
        in->text = realloc(in->text, in->cap * sizeof *in->text);
        if (in->text == NULL)
            abort();
    }
    strcpy(in->text[in->n++], text);
}

#define ADD_ALL(in, array)                                                                         \
    for (size_t i_ = 0; i_ < COUNT(array); i_++)                                                   \
    add(in, array[i_])
#define ADD_FIELD(in, array, field)                                                                \
    for (size_t i_ = 0; i_ < COUNT(array); i_++)                                                   \
    add(in, array[i_].field)

static void add_vectors(oracle_inputs *in)
{
    ADD_FIELD(in, v4_valid, text);
    ADD_ALL(in, v4_leading_zero);
    ADD_ALL(in, v4_aton_forms);
    ADD_ALL(in, v4_out_of_range);
    ADD_ALL(in, v4_structure);
    ADD_ALL(in, v4_whitespace);
    ADD_ALL(in, v4_non_ascii);
    ADD_FIELD(in, v6_valid, text);
    ADD_ALL(in, v6_group_count);
    ADD_ALL(in, v6_double_gap);
    ADD_ALL(in, v6_stray_colon);
    ADD_ALL(in, v6_bad_group);
    ADD_ALL(in, v6_bad_v4);
    ADD_ALL(in, v6_bad_char);
    ADD_ALL(in, zone_malformed);
    ADD_FIELD(in, zone_numeric, text);
    ADD_FIELD(in, zone_named, text);
    ADD_ALL(in, zone_name_not_link_local);
    ADD_ALL(in, zone_name_unknown);
    ADD_FIELD(in, port_valid, text);
    ADD_ALL(in, port_invalid);
    ADD_FIELD(in, fmt_golden, text);
    ADD_FIELD(in, canon, in);
}

/* Every single-byte deletion, duplication and replacement of text. */
static void add_mutations(oracle_inputs *in, const char *text)
{
    static const char repl[] = "0:.gF1 ";
    char buf[ORACLE_TEXT_MAX];
    size_t n = strlen(text);
    if (n + 2 >= ORACLE_TEXT_MAX)
        return;
    for (size_t i = 0; i < n; i++) {
        memcpy(buf, text, i);
        strcpy(buf + i, text + i + 1);
        add(in, buf);
        memcpy(buf, text, i + 1);
        strcpy(buf + i + 1, text + i);
        add(in, buf);
        strcpy(buf, text);
        buf[i] = repl[rnd(sizeof repl - 1)];
        add(in, buf);
    }
}

static void add_quads(oracle_inputs *in, int count)
{
    static const char *const octets[] = {"0",   "00",  "01",   "1",    "9",   "10",  "010",
                                         "99",  "100", "199",  "200",  "249", "250", "255",
                                         "256", "300", "0255", "1000", "0x1", "",    "00000"};
    for (int k = 0; k < count; k++) {
        char buf[ORACLE_TEXT_MAX] = "";
        int parts = 3 + (int)rnd(3);
        for (int i = 0; i < parts; i++) {
            if (i > 0)
                strcat(buf, ".");
            strcat(buf, octets[rnd(COUNT(octets))]);
        }
        add(in, buf);
    }
}

static void add_groups(oracle_inputs *in, int count)
{
    static const char *const groups[] = {"0",    "00",      "000",      "0000",  "00000", "1",
                                         "ffff", "FFFF",    "fffff",    "g",     "12345", "",
                                         "abc",  "1.2.3.4", "01.2.3.4", "1.2.3", "::",    "0db8"};
    for (int k = 0; k < count; k++) {
        char buf[ORACLE_TEXT_MAX] = "";
        int parts = 1 + (int)rnd(10);
        for (int i = 0; i < parts && strlen(buf) < ORACLE_TEXT_MAX - 16; i++) {
            if (i > 0)
                strcat(buf, ":");
            strcat(buf, groups[rnd(COUNT(groups))]);
        }
        add(in, buf);
    }
}

static void add_random(oracle_inputs *in, int count)
{
    static const char alphabet[] = "0123456789abcdefABCDEF:.x";
    for (int k = 0; k < count; k++) {
        char buf[ORACLE_TEXT_MAX];
        size_t n = 1 + rnd(40);
        for (size_t i = 0; i < n; i++)
            buf[i] = alphabet[rnd(sizeof alphabet - 1)];
        buf[n] = '\0';
        add(in, buf);
    }
}

void oracle_inputs_make(oracle_inputs *in)
{
    memset(in, 0, sizeof *in);
    add_vectors(in);
    for (size_t i = 0; i < COUNT(v4_valid); i++)
        add_mutations(in, v4_valid[i].text);
    for (size_t i = 0; i < COUNT(v6_valid); i++)
        add_mutations(in, v6_valid[i].text);
    add_quads(in, 20000);
    add_groups(in, 20000);
    add_random(in, 20000);
}

void oracle_inputs_free(oracle_inputs *in)
{
    free(in->text);
    memset(in, 0, sizeof *in);
}
