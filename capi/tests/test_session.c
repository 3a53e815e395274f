/*
 * The thread-free API (l610_session_*, l610_cmd_*, l610_parse_*) with scripted module bytes and
 * virtual time: the caller's clock is a number this test advances. Needs no module (capi/ci.sh
 * runs it beside one all the same); examples/c/firmware_loop.c drives the virtual L610 with it.
 * Also checks that nothing here starts a thread. The last line is "N passed, N failed".
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l610.h"

static int passed, failed;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (cond) {                                                                   \
            passed++;                                                                 \
        } else {                                                                      \
            failed++;                                                                 \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);           \
        }                                                                             \
    } while (0)

static uint64_t now = 1000; /* the caller's clock, in ms */

/* What the session wants written, as a C string (the test's view of the wire). */
static int sent(l610_session *s, const char *want)
{
    const uint8_t *tx = NULL;
    size_t n = 0;
    int ok;
    if (l610_session_poll_transmit(s, &tx, &n) != L610_OK) return 0;
    ok = n == strlen(want) && (n == 0 || memcmp(tx, want, n) == 0);
    if (!ok) fprintf(stderr, "  sent %.*s, expected %s\n", (int)n, tx ? (const char *)tx : "", want);
    l610_session_transmitted(s, n);
    return ok;
}

static void feed(l610_session *s, const char *bytes)
{
    CHECK(l610_session_handle_input(s, (const uint8_t *)bytes, strlen(bytes), now) == L610_OK);
}

static uint64_t submit(l610_session *s, l610_status built, l610_command **cmd)
{
    uint64_t id = 0;
    CHECK(built == L610_OK);
    CHECK(l610_session_submit(s, *cmd, now, &id) == L610_OK && id > 0);
    *cmd = NULL;
    return id;
}

static int threads(void)
{
    int n = 0;
    struct dirent *e;
    DIR *d = opendir("/proc/self/task");
    if (d == NULL) return -1;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') n++;
    closedir(d);
    return n;
}

static void test_builders(void)
{
    l610_command *c = NULL;
    char line[64], text[256];
    size_t n = 0;
    l610_time t;

    CHECK(l610_cmd_set_verify_mode(L610_VERIFY_PEER, &c) == L610_OK);
    CHECK(l610_command_line(c, line, sizeof line, &n) == L610_OK && strcmp(line, "AT+GTSSLMODE=1") == 0);
    l610_command_free(c);
    CHECK(l610_cmd_open_socket(2, L610_PROTOCOL_TLS, "example.com", 443, 0, &c) == L610_OK);
    CHECK(l610_command_line(c, line, sizeof line, &n) == L610_OK);
    CHECK(strcmp(line, "AT+MIPOPEN=2,,\"example.com\",443,2") == 0);
    l610_command_free(c);
    CHECK(l610_cmd_send(1, (const uint8_t *)"hi", 2, &c) == L610_OK);
    CHECK(l610_command_line(c, line, sizeof line, &n) == L610_OK && strcmp(line, "AT+MIPSEND=1,2") == 0);
    l610_command_free(c);
    CHECK(l610_cmd_set_clock_unix(1700000000, &c) == L610_OK);
    CHECK(l610_command_line(c, line, sizeof line, &n) == L610_OK);
    CHECK(strcmp(line, "AT+CCLK=\"23/11/14,22:13:20+00\"") == 0 || strncmp(line, "AT+CCLK=\"23/11/14,22:13:20", 26) == 0);
    l610_command_free(c);
    CHECK(l610_command_new("AT+CSQ", "+CSQ", 0, &c) == L610_OK);
    CHECK(l610_command_line(c, line, sizeof line, &n) == L610_OK && strcmp(line, "AT+CSQ") == 0);
    CHECK(l610_command_set_timeout(c, 0) == L610_INVALID_ARGUMENT);
    CHECK(l610_command_set_timeout(c, 100) == L610_OK);
    l610_command_free(c);
    CHECK(l610_last_error(text, sizeof text, &n) == L610_OK && n == 0);

    /* Refused before anything could be sent, with a reason, and nothing built. */
    c = (l610_command *)1;
    CHECK(l610_cmd_open_socket(0, L610_PROTOCOL_TLS, "h", 1, 0, &c) == L610_INVALID_ARGUMENT);
    CHECK(l610_last_error(text, sizeof text, &n) == L610_OK && strstr(text, "socket id 0") != NULL);
    CHECK(l610_cmd_open_socket(1, L610_PROTOCOL_TLS, "a\"b", 1, 0, &c) == L610_INVALID_ARGUMENT);
    CHECK(l610_cmd_open_socket(1, 1, "h", 1, 0, &c) == L610_INVALID_ARGUMENT);
    CHECK(l610_cmd_open_socket(1, L610_PROTOCOL_TCP, "h", 0, 0, &c) == L610_INVALID_ARGUMENT);
    CHECK(l610_cmd_open_socket(1, L610_PROTOCOL_TCP, NULL, 1, 0, &c) == L610_NULL_ARGUMENT);
    CHECK(l610_cmd_send(1, NULL, 0, &c) == L610_INVALID_ARGUMENT);
    {
        static uint8_t big[L610_MAX_SEND + 1];
        CHECK(l610_cmd_send(1, big, sizeof big, &c) == L610_INVALID_ARGUMENT);
    }
    CHECK(l610_cmd_load_file(L610_TRUSTFILE, (const uint8_t *)"not a certificate", 17, &c) == L610_INVALID_ARGUMENT);
    CHECK(l610_last_error(text, sizeof text, &n) == L610_OK && n > 0);
    CHECK(l610_cmd_set_verify_mode(7, &c) == L610_INVALID_ARGUMENT);
    CHECK(l610_cmd_activate_pdp(NULL, "user", NULL, &c) == L610_INVALID_ARGUMENT);
    CHECK(l610_command_new("AT\r\nAT+CFUN=0", NULL, 0, &c) == L610_INVALID_ARGUMENT);
    memset(&t, 0, sizeof t);
    t.year = 2024;
    t.month = 2;
    t.day = 30;
    CHECK(l610_cmd_set_clock(&t, &c) == L610_INVALID_ARGUMENT);
    CHECK(l610_cmd_set_verify_mode(L610_VERIFY_PEER, NULL) == L610_NULL_ARGUMENT);
    CHECK(c == (l610_command *)1);
    l610_command_free(NULL);
    l610_response_free(NULL);
}

static void test_commands(void)
{
    l610_session *s = NULL;
    l610_session_config cfg;
    l610_command *c = NULL;
    l610_response *r = NULL;
    l610_verify_mode vm = L610_VERIFY_NONE;
    l610_event ev;
    char text[256];
    size_t n = 0;
    uint64_t id, due = 0;
    uint16_t cme = 0;
    int saw_done = 0;

    CHECK(l610_session_config_init(&cfg) == L610_OK);
    CHECK(cfg.command_timeout_ms == 5000 && cfg.quiet_period_ms == 150);
    cfg.trace = true;
    cfg.command_timeout_ms = 0;
    CHECK(l610_session_new(&cfg, &s) == L610_INVALID_ARGUMENT);
    cfg.command_timeout_ms = 5000;
    CHECK(l610_session_new(&cfg, &s) == L610_OK && s != NULL);
    CHECK(l610_session_poll_timeout(s, &due) == L610_NOT_AVAILABLE);

    /* A read command: line out, echo + answer + OK in, typed value out. */
    id = submit(s, l610_cmd_verify_mode_query(&c), &c);
    CHECK(l610_session_take_outcome(s, id, &r) == L610_NOT_AVAILABLE);
    CHECK(sent(s, "AT+GTSSLMODE?\r"));
    CHECK(l610_session_poll_timeout(s, &due) == L610_OK && due == now + 5000);
    now += 3;
    feed(s, "AT+GTSSLMODE?\r\r\n+GTSSLMODE: 1\r\n");
    feed(s, "\r\nOK\r\n");
    while (l610_session_poll_event(s, &ev) == L610_OK) {
        CHECK(ev.text != NULL);
        if (ev.kind == L610_EVENT_COMMAND_DONE && ev.command == id) saw_done = 1;
        if (ev.kind == L610_EVENT_TRACE) CHECK(strlen(ev.text) > 0);
    }
    CHECK(saw_done);
    CHECK(l610_session_take_outcome(s, id, &r) == L610_OK && r != NULL);
    CHECK(l610_response_line_count(r, &n) == L610_OK && n == 1);
    CHECK(l610_response_line(r, 0, text, sizeof text, &n) == L610_OK && strcmp(text, "+GTSSLMODE: 1") == 0);
    CHECK(l610_response_line(r, 1, text, sizeof text, &n) == L610_INVALID_ARGUMENT);
    CHECK(l610_parse_verify_mode(r, &vm) == L610_OK && vm == L610_VERIFY_PEER);
    CHECK(l610_parse_file_counts(r, NULL) == L610_NULL_ARGUMENT);
    {
        l610_file_counts fc;
        /* The wrong parser for this answer: the module's fault, not the caller's. */
        CHECK(l610_parse_file_counts(r, &fc) == L610_UNEXPECTED_RESPONSE);
        CHECK(l610_last_error(text, sizeof text, &n) == L610_OK && strstr(text, "+GTSSLFILE") != NULL);
    }
    l610_response_free(r);
    r = NULL;
    CHECK(l610_session_take_outcome(s, id, &r) == L610_NOT_AVAILABLE); /* once */

    /* A value outside the manual's table is an unexpected response. */
    id = submit(s, l610_cmd_verify_mode_query(&c), &c);
    CHECK(sent(s, "AT+GTSSLMODE?\r"));
    feed(s, "AT+GTSSLMODE?\r\r\n+GTSSLMODE: 7\r\n\r\nOK\r\n");
    CHECK(l610_session_take_outcome(s, id, &r) == L610_OK);
    CHECK(l610_parse_verify_mode(r, &vm) == L610_UNEXPECTED_RESPONSE);
    l610_response_free(r);
    r = NULL;

    /* +CME ERROR: its code and words. */
    id = submit(s, l610_cmd_set_verify_mode(L610_VERIFY_PEER, &c), &c);
    CHECK(sent(s, "AT+GTSSLMODE=1\r"));
    feed(s, "AT+GTSSLMODE=1\r\r\n+CME ERROR: 3\r\n");
    CHECK(l610_session_take_outcome(s, id, NULL) == L610_CME_ERROR);
    CHECK(l610_session_last_cme_code(s, &cme) == L610_OK && cme == 3);
    CHECK(l610_session_last_error(s, text, sizeof text, &n) == L610_OK && n > 0);

    /* No answer: a timeout at the caller's clock, then the line drains before the next. */
    id = submit(s, l610_command_new("+CSQ", "+CSQ", 0, &c), &c);
    CHECK(sent(s, "AT+CSQ\r"));
    now += 4999;
    CHECK(l610_session_handle_timeout(s, now) == L610_OK);
    CHECK(l610_session_take_outcome(s, id, NULL) == L610_NOT_AVAILABLE);
    now += 1;
    CHECK(l610_session_handle_timeout(s, now) == L610_OK);
    CHECK(l610_session_take_outcome(s, id, NULL) == L610_TIMEOUT);
    CHECK(l610_session_last_cme_code(s, &cme) == L610_NOT_AVAILABLE);
    id = submit(s, l610_command_new("", NULL, 0, &c), &c);
    CHECK(sent(s, "")); /* still draining: nothing goes out yet */
    feed(s, "+CSQ: 24,99\r\n\r\nOK\r\n"); /* the late answer is dropped */
    now += 150;
    CHECK(l610_session_handle_timeout(s, now) == L610_OK);
    CHECK(sent(s, "AT\r"));
    feed(s, "AT\r\r\nOK\r\n");
    CHECK(l610_session_take_outcome(s, id, NULL) == L610_OK);

    /* Cancel and close. */
    id = submit(s, l610_command_new("+CSQ", "+CSQ", 0, &c), &c);
    CHECK(l610_session_cancel(s, id, now) == L610_OK);
    CHECK(l610_session_take_outcome(s, id, NULL) == L610_CANCELLED);
    now += 3000;
    CHECK(l610_session_handle_timeout(s, now) == L610_OK);
    {
        /* Whatever the cancelled command had put out is the wire's now. */
        const uint8_t *tx = NULL;
        CHECK(l610_session_poll_transmit(s, &tx, &n) == L610_OK);
        CHECK(l610_session_transmitted(s, n) == L610_OK);
    }
    id = submit(s, l610_command_new("+CSQ", "+CSQ", 0, &c), &c);
    CHECK(l610_session_close(s, "the test is done") == L610_OK);
    CHECK(l610_session_take_outcome(s, id, NULL) == L610_CLOSED);
    CHECK(l610_session_last_error(s, text, sizeof text, &n) == L610_OK && strstr(text, "the test is done") != NULL);
    CHECK(l610_command_new("", NULL, 0, &c) == L610_OK);
    CHECK(l610_session_submit(s, c, now, &id) == L610_CLOSED); /* the command is taken over all the same */
    CHECK(l610_session_submit(s, NULL, now, &id) == L610_NULL_ARGUMENT);
    l610_session_free(s);
}

static void test_socket(void)
{
    l610_session *s = NULL;
    l610_command *c = NULL;
    l610_response *r = NULL;
    l610_session_socket sock, other;
    l610_socket_state st;
    uint8_t ids[6], buf[16];
    size_t n = 0, got = 0;
    uint64_t id, pdp = 0;
    char ip[32];
    bool open = false;

    CHECK(l610_session_new(NULL, &s) == L610_OK);
    /* PDP: OK, then the URC with the address. */
    id = submit(s, l610_cmd_activate_pdp(NULL, NULL, NULL, &c), &c);
    CHECK(sent(s, "AT+MIPCALL=1\r"));
    feed(s, "AT+MIPCALL=1\r\r\nOK\r\n");
    CHECK(l610_session_take_outcome(s, id, NULL) == L610_OK);
    CHECK(l610_session_pdp(s, &pdp, ip, sizeof ip, &n) == L610_OK && pdp == 0 && n == 0);
    feed(s, "\r\n+MIPCALL: 10.0.0.2\r\n");
    CHECK(l610_session_pdp(s, &pdp, ip, sizeof ip, &n) == L610_OK && pdp == 1 && strcmp(ip, "10.0.0.2") == 0);

    /* Free ids, reserve, open. */
    id = submit(s, l610_cmd_free_socket_ids_query(&c), &c);
    CHECK(sent(s, "AT+MIPOPEN?\r"));
    feed(s, "AT+MIPOPEN?\r\r\n+MIPOPEN: 1,2,3,4,5,6\r\n\r\nOK\r\n");
    CHECK(l610_session_take_outcome(s, id, &r) == L610_OK);
    CHECK(l610_parse_socket_ids(r, ids, 2, &n) == L610_BUFFER_TOO_SMALL && n == 6);
    CHECK(l610_parse_socket_ids(r, ids, sizeof ids, &n) == L610_OK && n == 6 && ids[0] == 1);
    l610_response_free(r);
    CHECK(l610_session_reserve_socket(s, ids, n, &sock) == L610_OK && sock.id == 1);
    CHECK(l610_session_reserve_socket(s, ids, 1, &other) == L610_LIMIT_REACHED); /* id 1 is held */
    CHECK(l610_session_socket_state(s, sock, &st) == L610_OK && st == L610_SOCKET_OPENING);
    id = submit(s, l610_cmd_open_socket(sock.id, L610_PROTOCOL_TLS, "10.0.0.9", 443, 0, &c), &c);
    CHECK(sent(s, "AT+MIPOPEN=1,,\"10.0.0.9\",443,2\r"));
    feed(s, "AT+MIPOPEN=1,,\"10.0.0.9\",443,2\r\r\nOK\r\n");
    CHECK(l610_session_take_outcome(s, id, NULL) == L610_OK);
    feed(s, "\r\n+MIPOPEN: 1,1\r\n");
    CHECK(l610_session_socket_state(s, sock, &st) == L610_OK && st == L610_SOCKET_OPEN);
    CHECK(l610_session_socket_read(s, sock, buf, sizeof buf, &got) == L610_WOULD_BLOCK);

    /* A send: line, prompt, exactly the payload, answer. */
    id = submit(s, l610_cmd_send(sock.id, (const uint8_t *)"ping", 4, &c), &c);
    CHECK(sent(s, "AT+MIPSEND=1,4\r"));
    feed(s, "AT+MIPSEND=1,4\r\r\n> ");
    CHECK(sent(s, "ping"));
    feed(s, "\r\n+MIPSEND: 1,0,2048\r\n\r\nOK\r\n");
    CHECK(l610_session_take_outcome(s, id, NULL) == L610_OK);

    /* Data (hex, the default format), then the peer's close: the end of the stream. */
    feed(s, "\r\n+MIPRTCP: 1,5,706F6E6721\r\n");
    CHECK(l610_session_socket_buffered(s, sock, &n) == L610_OK && n == 5);
    CHECK(l610_session_socket_read(s, sock, buf, 3, &got) == L610_OK && got == 3 && memcmp(buf, "pon", 3) == 0);
    feed(s, "\r\n+MIPSTAT: 1,2\r\n");
    CHECK(l610_session_socket_state(s, sock, &st) == L610_OK && st == L610_SOCKET_CLOSED);
    CHECK(l610_session_socket_read(s, sock, buf, sizeof buf, &got) == L610_OK && got == 2 && memcmp(buf, "g!", 2) == 0);
    CHECK(l610_session_socket_read(s, sock, buf, sizeof buf, &got) == L610_OK && got == 0);
    CHECK(l610_session_begin_close(s, sock, &open) == L610_OK && !open);
    CHECK(l610_session_release_socket(s, sock) == L610_OK);
    CHECK(l610_session_release_socket(s, sock) == L610_CLOSED); /* stale */
    CHECK(l610_session_socket_state(s, sock, &st) == L610_OK && st == L610_SOCKET_FREE);
    CHECK(l610_session_socket_read(s, sock, buf, sizeof buf, &got) == L610_CLOSED);

    /* The id serves a new connection; the stale slot cannot touch it. A restart ends it. */
    CHECK(l610_session_reserve_socket(s, ids, 1, &other) == L610_OK && other.id == 1 && other.generation != sock.generation);
    CHECK(l610_session_socket_state(s, sock, &st) == L610_OK && st == L610_SOCKET_FREE);
    feed(s, "\r\n+MIPOPEN: 1,1\r\n");
    feed(s, "\r\nAT command ready\r\n");
    CHECK(l610_session_socket_read(s, other, buf, sizeof buf, &got) == L610_MODULE_RESET);
    CHECK(l610_session_release_socket(s, other) == L610_OK);

    CHECK(l610_session_poll_event(NULL, NULL) == L610_NULL_ARGUMENT);
    CHECK(l610_session_socket_read(s, sock, NULL, 4, &got) == L610_NULL_ARGUMENT);
    CHECK(l610_session_reserve_socket(s, NULL, 3, &other) == L610_NULL_ARGUMENT);
    l610_session_free(s);
    l610_session_free(NULL);
}

/* Ask with a builder, answer with scripted bytes, return the response. */
static l610_response *ask(l610_session *s, l610_status built, l610_command **cmd, const char *line,
                          const char *answer)
{
    l610_response *r = NULL;
    char wire[128];
    uint64_t id = submit(s, built, cmd);
    snprintf(wire, sizeof wire, "%s\r", line);
    CHECK(sent(s, wire));
    snprintf(wire, sizeof wire, "%s\r\r\n", line);
    feed(s, wire);
    feed(s, answer);
    CHECK(l610_session_take_outcome(s, id, &r) == L610_OK && r != NULL);
    return r;
}

/* The field basics' builders and parsers, thread-free. */
static void test_field_builders(void)
{
    l610_session *s = NULL;
    l610_command *c = NULL;
    l610_response *r;
    l610_registration reg;
    l610_signal_quality q;
    l610_operator op;
    l610_ip_address ips[4];
    l610_ping_options po;
    char text[64];
    size_t n = 0;
    bool b = false;
    uint8_t fun = 0;

    CHECK(l610_session_new(NULL, &s) == L610_OK);
    r = ask(s, l610_cmd_sim_status_query(&c), &c, "AT+CPIN?", "+CPIN: SIM PIN\r\n\r\nOK\r\n");
    CHECK(l610_parse_sim_status(r, &b, text, sizeof text, &n) == L610_OK && !b && strcmp(text, "SIM PIN") == 0);
    l610_response_free(r);
    r = ask(s, l610_cmd_registration_query(L610_DOMAIN_EPS, &c), &c, "AT+CEREG?",
            "+CEREG: 2,5,\"5A1F\",\"0B2D4C01\",7\r\n\r\nOK\r\n");
    CHECK(l610_parse_registration(r, L610_DOMAIN_EPS, &reg) == L610_OK);
    CHECK(reg.reporting == 2 && reg.status == L610_REG_ROAMING && reg.registered && reg.has_location);
    CHECK(strcmp(reg.area, "5A1F") == 0 && strcmp(reg.cell, "0B2D4C01") == 0 && reg.has_act && reg.act == 7);
    l610_response_free(r);
    r = ask(s, l610_cmd_signal_quality_query(&c), &c, "AT+CSQ", "+CSQ: 99,99\r\n\r\nOK\r\n");
    CHECK(l610_parse_signal_quality(r, &q) == L610_OK && q.rssi == 99 && !q.has_dbm);
    l610_response_free(r);
    r = ask(s, l610_cmd_operator_query(&c), &c, "AT+COPS?", "+COPS: 0,2,\"46000\",7\r\n\r\nOK\r\n");
    CHECK(l610_parse_operator_info(r, &op, text, sizeof text, &n) == L610_OK);
    CHECK(op.has_name && op.format == 2 && strcmp(text, "46000") == 0 && op.act == 7);
    l610_response_free(r);
    r = ask(s, l610_cmd_attach_query(&c), &c, "AT+CGATT?", "+CGATT: 0\r\n\r\nOK\r\n");
    CHECK(l610_parse_attached(r, &b) == L610_OK && !b);
    l610_response_free(r);
    r = ask(s, l610_cmd_functionality_query(&c), &c, "AT+CFUN?", "+CFUN: 4\r\n\r\nOK\r\n");
    CHECK(l610_parse_functionality(r, &fun) == L610_OK && fun == 4);
    l610_response_free(r);
    r = ask(s, l610_cmd_identity_query(L610_ID_MODEL, &c), &c, "AT+CGMM", "L610\r\n\r\nOK\r\n");
    CHECK(l610_parse_identity(r, L610_ID_MODEL, text, sizeof text, &n) == L610_OK && strcmp(text, "L610") == 0);
    l610_response_free(r);
    r = ask(s, l610_cmd_resolve("example.com", &c), &c, "AT+MIPDNS=\"example.com\"",
            "+MIPDNS: \"example.com\",93.184.216.34\r\n\r\nOK\r\n");
    CHECK(l610_parse_resolve(r, ips, 4, &n) == L610_OK && n == 1 && ips[0].family == 4 && ips[0].bytes[0] == 93);
    l610_response_free(r);
    r = ask(s, l610_cmd_resolve("late.example", &c), &c, "AT+MIPDNS=\"late.example\"", "OK\r\n");
    CHECK(l610_parse_resolve(r, ips, 4, &n) == L610_NOT_AVAILABLE); /* answered as a URC */
    l610_response_free(r);
    CHECK(l610_ping_options_init(&po) == L610_OK);
    CHECK(l610_cmd_ping("10.0.0.1", &po, &c) == L610_OK);
    CHECK(l610_command_line(c, text, sizeof text, &n) == L610_OK && strcmp(text, "AT+MPING=1,\"10.0.0.1\",4,32,64,0,5000") == 0);
    l610_command_free(c);
    po.ttl = 0;
    CHECK(l610_cmd_ping("10.0.0.1", &po, &c) == L610_INVALID_ARGUMENT);
    CHECK(l610_cmd_resolve("a b", &c) == L610_INVALID_ARGUMENT);
    CHECK(l610_cmd_registration_query(9, &c) == L610_INVALID_ARGUMENT);
    CHECK(l610_cmd_identity_query(6, &c) == L610_INVALID_ARGUMENT);
    l610_session_free(s);
}

int main(void)
{
    test_builders();
    test_commands();
    test_socket();
    test_field_builders();
    /* The thread-free API started no thread (valgrind and ASan may add their own). */
    CHECK(threads() == 1 || getenv("L610_ALLOW_THREADS") != NULL);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
