/*! \file fault.h
 * sockport fault injection: a wrapping backend for tests.
 *
 * sockport_fault_install() registers a backend named "fault" that delegates
 * every slot to another registered backend (the "inner" one: "posix",
 * "winsock", or your own) and, when armed with a rule, makes a chosen call
 * fail the way the system would:
 *
 *     const sockport_backend *fault;
 *     sockport_fault_install(sockport_backend_default(), &fault);
 *     sockport_backend_set_default(fault);            (or sockport_open_on)
 *     sockport_fault_rule r = SOCKPORT_FAULT_RULE_INIT;
 *     r.slot = "send";  r.nth = 3;  r.error = SOCKPORT_ECONNRESET;
 *     sockport_fault_arm(&r);        the 3rd send answers SOCKPORT_ECONNRESET
 *
 * A rule names a slot ("send", "connect" … as in struct sockport_backend, or
 * "*" for every slot) and the Nth call of it (counted from 1 since the last
 * arm or disarm). Mode ONCE fails that call only; PERSISTENT fails it and
 * every later matching call. Kinds:
 * - SOCKPORT_FAULT_ERROR: the call fails with `error` (0 picks the slot's
 *   natural error, e.g. ECONNREFUSED for connect) and records `os_code` (0
 *   picks the native code the running system uses for that error) for
 *   sockport_last_os_error(). Nothing reaches the inner backend, except for
 *   close, which releases the socket first and then reports the error (as a
 *   kernel does: the handle is gone either way).
 * - SOCKPORT_FAULT_PARTIAL (slot "send"): the inner backend is asked to send
 *   half the bytes (len / 2, at least 1), so the caller sees a short count.
 * - SOCKPORT_FAULT_SHORT (slot "recv"): the inner backend is asked for half
 *   the room, so the caller receives fewer bytes than were available.
 *   PARTIAL and SHORT apply to stream sockets with len >= 2 only (a datagram
 *   is never split); another matching call passes through and is not counted
 *   as injected.
 * EAGAIN and EINTR are ordinary errors here: SOCKPORT_EAGAIN and
 * SOCKPORT_EINTR, recorded with EAGAIN/EINTR (POSIX) or WSAEWOULDBLOCK/
 * WSAEINTR (Windows).
 *
 * Counted slots: every slot except cleanup and option_supported (which have
 * no error to report). init is counted and can fail: the core then retries
 * it on the next open.
 *
 * Text form (SOCKPORT_FAULT environment variable, sockport_fault_parse(),
 * sockport_fault_describe()), parsed strictly:
 *
 *     slot:nth[:once|persistent[:ERROR|natural|partial|short[:os_code]]]
 *
 * e.g. "send:3:persistent:ECONNRESET", "*:17", "recv:1:once:short".
 * ERROR is a name as sockport_err_name() prints it ("natural": the slot's
 * own); nth and os_code are decimal without sign or leading zeros. Mode
 * defaults to once, the error to natural.
 *
 * Threads: every function here may be called from any thread. The call
 * counters are atomic, so the Nth call is the Nth to reach the fault backend
 * in any thread; a rule is replaced atomically, and a call racing with
 * sockport_fault_arm() sees either the old or the new rule. One fault backend
 * exists per process, wrapping one inner backend.
 */
#ifndef SOCKPORT_FAULT_H
#define SOCKPORT_FAULT_H

#include "backend.h"

#ifdef __cplusplus
extern "C" {
#endif

/*! What an armed rule does to the call it hits. */
enum sockport_fault_kind {
    SOCKPORT_FAULT_ERROR = 0,   /*!< the call fails with the rule's error */
    SOCKPORT_FAULT_PARTIAL = 1, /*!< send passes on half the bytes (streams) */
    SOCKPORT_FAULT_SHORT = 2    /*!< recv asks for half the room (streams) */
};

/*! Which calls an armed rule hits. */
enum sockport_fault_mode {
    SOCKPORT_FAULT_ONCE = 0,      /*!< the Nth matching call only */
    SOCKPORT_FAULT_PERSISTENT = 1 /*!< the Nth matching call and every later one */
};

/*! A fault to inject. Start from SOCKPORT_FAULT_RULE_INIT. */
typedef struct sockport_fault_rule {
    /*! A slot name ("send", "connect" …) or "*" for every counted slot; NULL
     * means "*". Read during sockport_fault_arm() only. */
    const char *slot;
    /*! The first call hit, counted from 1 among the calls that match slot. */
    uint64_t nth;
    /*! SOCKPORT_FAULT_ONCE or SOCKPORT_FAULT_PERSISTENT. */
    int mode;
    /*! SOCKPORT_FAULT_ERROR, _PARTIAL (slot "send") or _SHORT (slot "recv"). */
    int kind;
    /*! For SOCKPORT_FAULT_ERROR: a SOCKPORT_E* code, or 0 for the natural
     * error of each slot hit. */
    int error;
    /*! Native code recorded for sockport_last_os_error(); 0 for the one the
     * running system uses for error (0 too where it has none). */
    int os_code;
} sockport_fault_rule;

/*! A rule that fails the first call of any slot once with its natural error. */
#define SOCKPORT_FAULT_RULE_INIT                                                                   \
    {                                                                                              \
        "*", 1, SOCKPORT_FAULT_ONCE, SOCKPORT_FAULT_ERROR, 0, 0                                    \
    }

/*! Registers the fault backend around an inner backend (once per process).
 * Sockets opened on the fault backend have the inner backend's state size;
 * each slot passes the same sockport_socket to the inner backend's slot.
 * \param inner a registered backend, or a built-in table from
 *        sockport_backend_posix()/_winsock() (its registered copy is used);
 *        an unregistered table is registered first.
 * \param out receives the registered "fault" table, for
 *        sockport_backend_set_default() or sockport_open_on(); may be NULL.
 * \return 0 (also when called again with the same inner backend);
 * SOCKPORT_EINVAL for NULL or the fault backend itself; SOCKPORT_EEXIST when
 * the fault backend already wraps another backend, or another backend uses
 * the inner one's name; a registration error (SOCKPORT_ENOSPC). */
SOCKPORT_API int sockport_fault_install(const sockport_backend *inner,
                                        const sockport_backend **out);

/*! Arms a rule, replacing any other, and resets the call counters.
 * \param rule the rule; copied.
 * \return 0; SOCKPORT_EINVAL for NULL, an unknown slot, nth 0, an unknown
 * mode or kind, an error that is no SOCKPORT_E* code, a negative os_code, or
 * PARTIAL/SHORT on a slot other than "send"/"recv". */
SOCKPORT_API int sockport_fault_arm(const sockport_fault_rule *rule);

/*! Removes the armed rule (if any) and resets the call counters. */
SOCKPORT_API void sockport_fault_disarm(void);

/*! \return the counted calls that reached the fault backend since the last
 * arm or disarm, in every slot. */
SOCKPORT_API uint64_t sockport_fault_calls(void);

/*! \param slot a slot name, or "*" (or NULL) for every slot.
 * \return the calls of that slot since the last arm or disarm; 0 for an
 * unknown name. */
SOCKPORT_API uint64_t sockport_fault_slot_calls(const char *slot);

/*! \return the faults injected since the last arm or disarm. */
SOCKPORT_API uint64_t sockport_fault_injected(void);

/*! \return the slot name of the first fault injected since the last arm or
 * disarm (the call a failing test should look at), or NULL when none was. */
SOCKPORT_API const char *sockport_fault_first_slot(void);

/*! \param slot a slot name.
 * \return the natural error of slot: what a rule with error 0 injects there
 * (e.g. SOCKPORT_ECONNREFUSED for "connect"); SOCKPORT_EINVAL for NULL, "*",
 * an unknown name or a slot that is never counted. */
SOCKPORT_API int sockport_fault_natural_error(const char *slot);

/*! Lists the slot names a rule can name.
 * \param i 0, 1, 2 …
 * \return the i-th slot of struct sockport_backend ("init", "cleanup",
 * "open" …, in order), or NULL past the last one. */
SOCKPORT_API const char *sockport_fault_slot_name(size_t i);

/*! Parses the text form of a rule (see the top of this header).
 * \param out receives the rule (its slot points to a static name, not into
 *        text); untouched on failure.
 * \param text NUL-terminated text.
 * \return 0, or SOCKPORT_EINVAL for anything malformed. */
SOCKPORT_API int sockport_fault_parse(sockport_fault_rule *out, const char *text);

/*! Arms the rule in the SOCKPORT_FAULT environment variable, if set.
 * \return 1 when a rule was armed; 0 when the variable is absent or empty
 * (nothing changes); SOCKPORT_EINVAL when it is malformed (nothing is armed). */
SOCKPORT_API int sockport_fault_from_env(void);

/*! Writes a one-line reproduction of the armed rule, in the form
 * "SOCKPORT_FAULT=send:3:persistent:ECONNRESET" ("SOCKPORT_FAULT=" when none
 * is armed), for a failing test to print.
 * \param buf where to write the text and its NUL.
 * \param cap size of buf.
 * \return the length written (NUL excluded); SOCKPORT_ENOSPC when cap is
 * too short (buf then holds ""); SOCKPORT_EINVAL for NULL buf. */
SOCKPORT_API int sockport_fault_describe(char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* SOCKPORT_FAULT_H */
