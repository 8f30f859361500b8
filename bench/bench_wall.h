/*
 * Shared by bench_wall.c (the measurements) and bench_wall_run.c (triples,
 * medians, records). Every measurement builds its own loopback sockets on
 * 127.0.0.1 port 0 through the path it measures, so the raw path never
 * touches sockport and the sockport path never calls socket(2) itself.
 */
#ifndef SOCKPORT_BENCH_WALL_H
#define SOCKPORT_BENCH_WALL_H

enum { WALL_RAW, WALL_SP };

/* CPUs the client (main thread) and the server thread run on. */
#define WALL_CLIENT_CPU 0
#define WALL_SERVER_CPU 1

/* Pins the calling thread to cpu; returns 0, or -1 when the machine has no
 * such CPU (then the thread is left where it is). */
int wall_pin(int cpu);

/* TCP request/response, 1 byte each way, client and server pinned apart:
 * the median round trip in nanoseconds over `iters` after 2000 warm-up. */
double wall_tcp_rr(int mode, long iters);

/* UDP 64-byte datagrams, send then receive, one thread: packets/second. */
double wall_udp(int mode, long packets);

/* TCP bulk in 1 KiB writes to a reader thread: MB/second (10^6 bytes). */
double wall_tcp_bulk(int mode, long bytes);

/* UDP 64-byte datagrams in batches of 32 (sendmmsg/recvmmsg): packets/second,
 * or -1 when the sockport backend answers ENOTSUP. */
double wall_udp_mmsg(int mode, long packets);

#endif /* SOCKPORT_BENCH_WALL_H */
