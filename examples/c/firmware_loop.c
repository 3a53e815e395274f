/*
 * firmware_loop: the thread-free API of libl610, driven the way firmware drives a module: one
 * thread, one poll(2) loop, the program's own port and clock. No library thread, no blocking
 * call: the session (l610_session_*) makes every protocol decision, the typed builders and
 * parsers (l610_cmd_*, l610_parse_*) are the ones the threaded API uses.
 *
 *   firmware_loop PORT_PATH HOST PORT CA_FILE
 *
 * Opens PORT_PATH itself (raw, 115200), activates the PDP context, sets the module clock, loads
 * CA_FILE as a TRUSTFILE, turns verification on, opens a verified TLS connection to HOST:PORT,
 * sends an HTTP/1.0 request and prints the reply. L610_TRACE=1 prints the AT trace to stderr.
 * On a microcontroller, the read()/write()/poll() calls below become the UART driver's and
 * now_ms() the tick counter.
 */
#define _DEFAULT_SOURCE /* cfmakeraw */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "l610.h"

static int port_fd = -1;
static l610_session *session;
static int tracing;
static uint64_t last_rx_ms; /* when the module last sent something */

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void die(const char *what, l610_status st)
{
    char text[512];
    size_t n = 0;
    l610_status_text(st, text, sizeof text, &n);
    fprintf(stderr, "firmware_loop: %s: %s (status %u)\n", what, text, (unsigned)st);
    if (session != NULL && l610_session_last_error(session, text, sizeof text, &n) == L610_OK &&
        n > 0)
        fprintf(stderr, "  %s\n", text);
    if (l610_last_error(text, sizeof text, &n) == L610_OK && n > 0) fprintf(stderr, "  %s\n", text);
    exit(1);
}

#define TRY(what, expr)                     \
    do {                                    \
        l610_status st_ = (expr);           \
        if (st_ != L610_OK) die(what, st_); \
    } while (0)

/* One turn of the main loop: write what the session has for the module, sleep in poll(2) until
 * the port has bytes or the session's next timer is due (at most max_wait_ms), feed what came,
 * fire due timers, look at the events. */
static void turn(int max_wait_ms)
{
    const uint8_t *tx = NULL;
    size_t tx_len = 0;
    uint64_t due = 0, now;
    struct pollfd p;
    int wait = max_wait_ms;
    l610_event ev;

    TRY("poll_transmit", l610_session_poll_transmit(session, &tx, &tx_len));
    p.fd = port_fd;
    p.events = POLLIN | (tx_len > 0 ? POLLOUT : 0);
    p.revents = 0;
    if (l610_session_poll_timeout(session, &due) == L610_OK) {
        now = now_ms();
        if (due <= now) wait = 0;
        else if (due - now < (uint64_t)wait) wait = (int)(due - now);
    }
    if (poll(&p, 1, wait) < 0 && errno != EINTR) {
        perror("poll");
        exit(1);
    }
    if (p.revents & POLLOUT) {
        ssize_t w = write(port_fd, tx, tx_len);
        if (w > 0) TRY("transmitted", l610_session_transmitted(session, (size_t)w));
    }
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
        uint8_t buf[512];
        ssize_t r = read(port_fd, buf, sizeof buf);
        if (r > 0) {
            last_rx_ms = now_ms();
            TRY("handle_input", l610_session_handle_input(session, buf, (size_t)r, now_ms()));
        } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
            /* The port is gone: every pending command ends with L610_CLOSED. */
            TRY("close", l610_session_close(session, "the serial port closed"));
        }
    }
    TRY("handle_timeout", l610_session_handle_timeout(session, now_ms()));
    while (l610_session_poll_event(session, &ev) == L610_OK) {
        switch (ev.kind) {
        case L610_EVENT_TRACE:
            if (tracing)
                fprintf(stderr, "%8lu %s %s\n", (unsigned long)ev.at_ms,
                        ev.direction == L610_TX ? "->" : "<-", ev.text);
            break;
        case L610_EVENT_PDP:
            fprintf(stderr, "firmware_loop: +MIPCALL: %s\n", ev.text);
            break;
        case L610_EVENT_RESET:
            /* At power-up this is the boot line; later, the settings, files and connections
             * made so far are gone (the commands and the socket then fail with
             * L610_MODULE_RESET): firmware starts its set-up over. */
            fprintf(stderr, "firmware_loop: the module (re)started\n");
            break;
        case L610_EVENT_FRAMING:
            fprintf(stderr, "firmware_loop: framing error: %s\n", ev.text);
            break;
        default: /* command results are taken by id, sockets are looked at by state */
            break;
        }
    }
}

/* Submit a command and turn the loop until it has ended; its response (if wanted) goes to
 * *response. Returns the outcome's status. */
static l610_status run(l610_command *cmd, l610_response **response)
{
    uint64_t id = 0;
    l610_status st;
    TRY("submit", l610_session_submit(session, cmd, now_ms(), &id));
    while ((st = l610_session_take_outcome(session, id, response)) == L610_NOT_AVAILABLE) turn(1000);
    return st;
}

/* A command that must succeed; its response is dropped. `built` is the builder's status and
 * *cmd what it built (a pointer to it: C evaluates arguments in no fixed order). */
static void must(const char *what, l610_status built, l610_command **cmd)
{
    if (built != L610_OK) die(what, built);
    TRY(what, run(*cmd, NULL));
    *cmd = NULL;
}

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf;
    long size;
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)size + 1);
    if (buf == NULL || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        perror(path);
        exit(2);
    }
    fclose(f);
    *len = (size_t)size;
    return buf;
}

static void open_port(const char *path)
{
    struct termios t;
    port_fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (port_fd < 0) {
        perror(path);
        exit(1);
    }
    if (tcgetattr(port_fd, &t) == 0) {
        cfmakeraw(&t);
        cfsetispeed(&t, B115200);
        cfsetospeed(&t, B115200);
        tcsetattr(port_fd, TCSANOW, &t);
    }
}

static void activate_pdp(void)
{
    l610_command *cmd = NULL;
    l610_response *r = NULL;
    l610_pdp_state state = L610_PDP_INACTIVE;
    char ip[64];
    size_t n = 0;
    uint64_t seen = 0, events = 0, deadline;

    TRY("build", l610_cmd_pdp_status_query(&cmd));
    TRY("AT+MIPCALL?", run(cmd, &r));
    TRY("parse +MIPCALL", l610_parse_pdp_status(r, &state, ip, sizeof ip, &n));
    l610_response_free(r);
    if (state == L610_PDP_ACTIVE) {
        fprintf(stderr, "firmware_loop: PDP already active, IP %s\n", ip);
        return;
    }
    TRY("pdp", l610_session_pdp(session, &seen, ip, sizeof ip, &n));
    must("AT+MIPCALL=1", l610_cmd_activate_pdp(NULL, NULL, NULL, &cmd), &cmd);
    /* OK came; the address comes as the URC +MIPCALL: <ip> (up to 150 s on a real network). */
    deadline = now_ms() + 150000;
    for (;;) {
        TRY("pdp", l610_session_pdp(session, &events, ip, sizeof ip, &n));
        if (events != seen) {
            if (strcmp(ip, "0") == 0) die("PDP activation failed (+MIPCALL: 0)", L610_CONNECTION_FAILED);
            break;
        }
        if (now_ms() > deadline) die("waiting for +MIPCALL: <ip>", L610_TIMEOUT);
        turn(1000);
    }
    fprintf(stderr, "firmware_loop: PDP active, IP %s\n", ip);
}

int main(int argc, char **argv)
{
    l610_session_config cfg;
    l610_command *cmd = NULL;
    l610_response *r = NULL;
    l610_session_socket sock;
    l610_socket_state state = L610_SOCKET_OPENING;
    l610_file_counts counts;
    uint8_t ids[6];
    size_t n_ids = 0, ca_len = 0, total = 0;
    unsigned char *ca;
    uint64_t deadline;
    bool still_open = false;
    long port;
    static const char request[] = "GET / HTTP/1.0\r\n\r\n";

    if (argc != 5) {
        fprintf(stderr, "usage: %s PORT_PATH HOST PORT CA_FILE\n", argv[0]);
        return 2;
    }
    port = strtol(argv[3], NULL, 10);
    if (port <= 0 || port > 65535) {
        fprintf(stderr, "firmware_loop: bad port %s\n", argv[3]);
        return 2;
    }
    tracing = getenv("L610_TRACE") != NULL;
    open_port(argv[1]);

    TRY("config", l610_session_config_init(&cfg));
    cfg.socket_buffer = 16 * 1024; /* what a small device can spare */
    cfg.trace = tracing;
    TRY("session", l610_session_new(&cfg, &session));

    /* AT until the module answers: syncs a line that had garbage on it. A module that is just
     * booting prints its boot line over our first AT (L610_MODULE_RESET): let the line go
     * quiet for half a second before the next try, so the late answer to the first AT cannot
     * pass for the answer to the second (the session drops it as the abandoned command's). */
    {
        int tries;
        l610_status st = L610_TIMEOUT;
        for (tries = 0; tries < 5 && st != L610_OK; tries++) {
            if (tries > 0) {
                last_rx_ms = now_ms();
                while (now_ms() - last_rx_ms < 500) turn(100);
            }
            TRY("build", l610_command_new("AT", NULL, 1000, &cmd));
            st = run(cmd, NULL);
        }
        if (st != L610_OK) die("the module does not answer AT", st);
    }
    activate_pdp();
    /* Certificates are checked against the module clock: set it from ours. */
    must("AT+CCLK=", l610_cmd_set_clock_unix((int64_t)time(NULL), &cmd), &cmd);

    TRY("build", l610_cmd_file_counts_query(&cmd));
    TRY("AT+GTSSLFILE?", run(cmd, &r));
    TRY("parse +GTSSLFILE", l610_parse_file_counts(r, &counts));
    l610_response_free(r);
    if (counts.trust >= 40) die("the module holds 40 trust files already", L610_LIMIT_REACHED);
    ca = read_file(argv[4], &ca_len);
    must("load trust file", l610_cmd_load_file(L610_TRUSTFILE, ca, ca_len, &cmd), &cmd);
    free(ca);
    fprintf(stderr, "firmware_loop: trust file loaded (%u before)\n", (unsigned)counts.trust);
    must("AT+GTSSLVER=", l610_cmd_set_ssl_version(L610_TLS1_2, &cmd), &cmd);
    must("AT+GTSSLMODE=", l610_cmd_set_verify_mode(L610_VERIFY_PEER, &cmd), &cmd);

    /* A socket: the module says which ids are free, the session reserves one. */
    TRY("build", l610_cmd_free_socket_ids_query(&cmd));
    TRY("AT+MIPOPEN?", run(cmd, &r));
    TRY("parse +MIPOPEN", l610_parse_socket_ids(r, ids, sizeof ids, &n_ids));
    l610_response_free(r);
    TRY("reserve socket", l610_session_reserve_socket(session, ids, n_ids, &sock));
    must("AT+MIPOPEN=", l610_cmd_open_socket(sock.id, L610_PROTOCOL_TLS, argv[2], (uint16_t)port, 0, &cmd), &cmd);
    deadline = now_ms() + 75000; /* the handshake is in the +MIPOPEN URC's time */
    while (state == L610_SOCKET_OPENING) {
        if (now_ms() > deadline) die("waiting for +MIPOPEN", L610_TIMEOUT);
        turn(1000);
        TRY("socket state", l610_session_socket_state(session, sock, &state));
    }
    if (state != L610_SOCKET_OPEN) {
        int32_t code = 0;
        char why[256];
        size_t n = 0;
        TRY("build", l610_cmd_ssl_error_query(&cmd));
        TRY("AT+GTSSLERR?", run(cmd, &r));
        TRY("parse +GTSSLERR", l610_parse_ssl_error(r, &code));
        l610_response_free(r);
        l610_ssl_error_text(code, why, sizeof why, &n);
        fprintf(stderr, "firmware_loop: TLS open failed: +GTSSLERR: %d: %s\n", (int)code, why);
        return 1;
    }
    fprintf(stderr, "firmware_loop: verified TLS connection on socket %u\n", (unsigned)sock.id);

    must("AT+MIPSEND=", l610_cmd_send(sock.id, (const uint8_t *)request, strlen(request), &cmd), &cmd);
    deadline = now_ms() + 30000;
    for (;;) {
        unsigned char buf[512];
        size_t got = 0;
        l610_status st = l610_session_socket_read(session, sock, buf, sizeof buf, &got);
        if (st == L610_OK && got == 0) break; /* the server closed: end of stream */
        if (st == L610_OK) {
            fwrite(buf, 1, got, stdout);
            total += got;
            continue;
        }
        if (st != L610_WOULD_BLOCK) die("receive", st);
        if (now_ms() > deadline) die("waiting for the reply", L610_TIMEOUT);
        turn(1000);
    }
    fprintf(stderr, "firmware_loop: %lu bytes received\n", (unsigned long)total);

    TRY("begin close", l610_session_begin_close(session, sock, &still_open));
    if (still_open) must("AT+MIPCLOSE=", l610_cmd_close_socket(sock.id, &cmd), &cmd);
    TRY("release", l610_session_release_socket(session, sock));
    l610_session_free(session);
    close(port_fd);
    return total > 0 ? 0 : 1;
}
