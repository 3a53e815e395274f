/*
 * C test suite of libl610, run by capi/ci.sh against the virtual L610 (l610-sim) and an
 * `openssl s_server`, under AddressSanitizer + UBSan and under valgrind.
 *
 * Environment: L610_PTY (the simulator's pty), L610_TLS_PORT (s_server on 127.0.0.1),
 * L610_CA, L610_CLIENT_CERT, L610_CLIENT_KEY (PEM files made by ci.sh).
 * The last line of output is "N passed, N failed".
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep, clock_gettime, _exit */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

/* A status check that prints the status and, with a modem, its last error. */
#define CHECK_ST(modem, expr, want) check_status((modem), (expr), (want), #expr, __LINE__)

static void check_status(const l610_modem *m, l610_status got, l610_status want, const char *expr,
                         int line)
{
    if (got == want) {
        passed++;
        return;
    }
    failed++;
    fprintf(stderr, "FAIL %s:%d: %s returned %u, expected %u\n", __FILE__, line, expr,
            (unsigned)got, (unsigned)want);
    if (m != NULL) {
        char text[512];
        size_t n;
        if (l610_modem_last_error(m, text, sizeof text, &n) == L610_OK) {
            fprintf(stderr, "     last error: %s\n", text);
        }
    }
}

static const char *env(const char *name)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0') {
        fprintf(stderr, "test_capi: %s is not set (run capi/ci.sh)\n", name);
        exit(2);
    }
    return v;
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

/* ---------------------------------------------------------------- without a module */

static void test_version(void)
{
    char expect[64];
    snprintf(expect, sizeof expect, "%d.%d.%d", L610_VERSION_MAJOR, L610_VERSION_MINOR,
             L610_VERSION_PATCH);
    CHECK(l610_version() != NULL);
    CHECK(strcmp(l610_version(), L610_VERSION) == 0);
    CHECK(strncmp(L610_VERSION, expect, strlen(expect)) == 0);
}

static void test_status_text(void)
{
    char buf[64], big[256];
    size_t n = 12345;
    unsigned s;
    /* Fixed numbers: the ABI promise. */
    CHECK(L610_OK == 0 && L610_INVALID_ARGUMENT == 1 && L610_TIMEOUT == 3 && L610_SSL_ERROR == 6);
    CHECK(L610_IO_ERROR == 14 && L610_NULL_ARGUMENT == 100 && L610_PANIC == 101);
    CHECK(L610_BUFFER_TOO_SMALL == 102 && L610_UNKNOWN_ERROR == 103 && L610_NOT_AVAILABLE == 104);
    CHECK(L610_CANCELLED == 15);
    CHECK(l610_status_text(L610_CANCELLED, buf, sizeof buf, &n) == L610_OK);
    CHECK(strcmp(buf, "cancelled") == 0);
    CHECK(sizeof(l610_status) == 4);
    for (s = 0; s < 110; s++) {
        CHECK(l610_status_text(s, buf, sizeof buf, &n) == L610_OK && n == strlen(buf) && n > 0);
    }
    CHECK(l610_status_text(L610_TIMEOUT, buf, sizeof buf, &n) == L610_OK);
    CHECK(strcmp(buf, "timeout") == 0 && n == 7);
    /* Too small: truncated, NUL-terminated, full length reported. */
    memset(buf, 'x', sizeof buf);
    CHECK(l610_status_text(L610_TIMEOUT, buf, 4, &n) == L610_BUFFER_TOO_SMALL);
    CHECK(strcmp(buf, "tim") == 0 && n == 7);
    CHECK(l610_status_text(L610_TIMEOUT, buf, 7, &n) == L610_BUFFER_TOO_SMALL);
    CHECK(l610_status_text(L610_TIMEOUT, buf, 8, &n) == L610_OK);
    /* Length query with no buffer. */
    n = 0;
    CHECK(l610_status_text(L610_TIMEOUT, NULL, 0, &n) == L610_BUFFER_TOO_SMALL && n == 7);
    CHECK(l610_status_text(L610_TIMEOUT, NULL, 8, &n) == L610_NULL_ARGUMENT);
    CHECK(l610_status_text(L610_TIMEOUT, buf, sizeof buf, NULL) == L610_NULL_ARGUMENT);
    CHECK(l610_ssl_error_text(-11, big, sizeof big, &n) == L610_OK && n > 0 && n == strlen(big));
    CHECK(l610_ssl_error_text(-11, NULL, 1, &n) == L610_NULL_ARGUMENT);
    CHECK(l610_ssl_error_text(-999, big, sizeof big, &n) == L610_OK);
    CHECK(l610_ssl_error_text(0, buf, sizeof buf, NULL) == L610_NULL_ARGUMENT);
}

static void test_ciphers_offline(void)
{
    char buf[64];
    size_t n;
    uint8_t id = 0;
    CHECK(l610_cipher_name(5, buf, sizeof buf, &n) == L610_OK);
    CHECK(strcmp(buf, "TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384") == 0);
    CHECK(l610_cipher_name(0, buf, sizeof buf, &n) == L610_INVALID_ARGUMENT);
    CHECK(l610_cipher_name(32, buf, sizeof buf, &n) == L610_INVALID_ARGUMENT);
    CHECK(l610_cipher_name(5, NULL, 10, &n) == L610_NULL_ARGUMENT);
    CHECK(l610_cipher_name(5, buf, sizeof buf, NULL) == L610_NULL_ARGUMENT);
    CHECK(l610_cipher_from_name("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", &id) == L610_OK && id == 5);
    CHECK(l610_cipher_from_name("7", &id) == L610_OK && id == 7);
    id = 99;
    CHECK(l610_cipher_from_name("no-such-suite", &id) == L610_INVALID_ARGUMENT && id == 99);
    CHECK(l610_cipher_from_name("\xff\xfe", &id) == L610_INVALID_ARGUMENT);
    CHECK(l610_cipher_from_name(NULL, &id) == L610_NULL_ARGUMENT);
    CHECK(l610_cipher_from_name("5", NULL) == L610_NULL_ARGUMENT);
}

/* Every function that takes a handle, called with NULL handles and NULL outputs. */
static void test_null_arguments(void)
{
    char buf[32];
    size_t n;
    uint8_t ids[4] = {5, 0, 0, 0};
    uint64_t mask;
    uint16_t u16;
    int32_t i32;
    uint8_t u8;
    l610_time t;
    l610_file_counts counts;
    l610_file_support support;
    l610_verify_mode vm;
    l610_ssl_version sv;
    l610_pdp_state ps;
    l610_receive_format rf;
    l610_socket_state ss;
    l610_modem *m = (l610_modem *)1; /* must not be written */
    l610_socket *s = (l610_socket *)1;
    l610_tls_profile *p = NULL;
    l610_modem_options mo;
    l610_open_options oo;
    const l610_status N = L610_NULL_ARGUMENT;

    /* free(NULL) is a no-op */
    l610_modem_free(NULL);
    l610_socket_free(NULL);
    l610_tls_profile_free(NULL);
    passed++;

    CHECK(l610_modem_options_init(NULL) == N);
    CHECK(l610_open_options_init(NULL) == N);
    CHECK(l610_modem_options_init(&mo) == L610_OK && mo.probe_on_open && mo.trace == NULL);
    CHECK(l610_open_options_init(&oo) == L610_OK && oo.check_clock && oo.id == 0);

    CHECK(l610_modem_open(NULL, 115200, &m) == N && m == (l610_modem *)1);
    CHECK(l610_modem_open("/dev/null", 115200, NULL) == N);
    CHECK(l610_modem_open("/nonexistent/tty", 115200, &m) == L610_PORT_ERROR && m == (l610_modem *)1);
    CHECK(l610_modem_open("/nonexistent/tty", 0, &m) == L610_INVALID_ARGUMENT);
    CHECK(l610_modem_open("\xc3\x28", 115200, &m) == L610_INVALID_ARGUMENT);
    CHECK(l610_modem_open_with_options("/dev/null", 115200, NULL, &m) == N);
    CHECK(l610_modem_open_with_options(NULL, 115200, &mo, &m) == N);
    CHECK(l610_modem_open_with_options("/dev/null", 115200, &mo, NULL) == N);
    CHECK(l610_modem_open_with_trace(NULL, 115200, NULL, NULL, &m) == N);
    CHECK(l610_modem_open_with_trace("/dev/null", 115200, NULL, NULL, NULL) == N);

    CHECK(l610_modem_interrupt(NULL) == N);
    CHECK(l610_modem_last_error(NULL, buf, sizeof buf, &n) == N);
    CHECK(l610_modem_last_cme_code(NULL, &u16) == N);
    CHECK(l610_modem_last_ssl_error(NULL, &i32, buf, sizeof buf, &n) == N);
    CHECK(l610_modem_command(NULL, "AT", NULL, 0, buf, sizeof buf, &n) == N);
    CHECK(l610_modem_set_receive_format(NULL, 0) == N);
    CHECK(l610_modem_receive_format(NULL, &rf) == N);
    CHECK(l610_modem_activate_pdp(NULL, NULL, NULL, NULL, buf, sizeof buf, &n) == N);
    CHECK(l610_modem_deactivate_pdp(NULL) == N);
    CHECK(l610_modem_pdp_status(NULL, &ps, buf, sizeof buf, &n) == N);
    CHECK(l610_modem_clock(NULL, &t) == N);
    CHECK(l610_modem_set_clock(NULL, &t) == N);
    CHECK(l610_modem_set_clock_from_host(NULL, &t) == N);
    CHECK(l610_modem_load_file(NULL, L610_TRUSTFILE, ids, 1, &counts) == N);
    CHECK(l610_modem_load_file_from_path(NULL, L610_TRUSTFILE, "x", &counts) == N);
    CHECK(l610_modem_ssl_file_counts(NULL, &counts) == N);
    CHECK(l610_modem_ssl_file_support(NULL, &support) == N);
    CHECK(l610_modem_set_verify_mode(NULL, 0) == N);
    CHECK(l610_modem_verify_mode(NULL, &vm) == N);
    CHECK(l610_modem_verify_mode_support(NULL, &mask) == N);
    CHECK(l610_modem_set_ssl_version(NULL, 4) == N);
    CHECK(l610_modem_ssl_version(NULL, &sv) == N);
    CHECK(l610_modem_ssl_version_support(NULL, &mask) == N);
    CHECK(l610_modem_set_cipher(NULL, 5, true) == N);
    CHECK(l610_modem_enabled_ciphers(NULL, ids, 4, &n) == N);
    CHECK(l610_modem_cipher_support(NULL, &mask, &mask) == N);
    CHECK(l610_modem_set_enabled_ciphers(NULL, ids, 1) == N);
    CHECK(l610_modem_ssl_error(NULL, &i32) == N);
    CHECK(l610_modem_ssl_error_exec(NULL, &i32) == N);
    CHECK(l610_modem_apply_profile(NULL, p) == N);
    CHECK(l610_modem_set_profile(NULL, p, true) == N);
    CHECK(l610_modem_reapply_profile(NULL) == N);
    CHECK(l610_modem_open_tls(NULL, "127.0.0.1", 1, &s) == N && s == (l610_socket *)1);
    CHECK(l610_modem_open_tcp(NULL, "127.0.0.1", 1, &s) == N);
    CHECK(l610_modem_open_socket(NULL, L610_PROTOCOL_TLS, "127.0.0.1", 1, &oo, &s) == N);

    CHECK(l610_socket_send(NULL, ids, 1) == N);
    CHECK(l610_socket_recv(NULL, ids, 1, 0, &n) == N);
    CHECK(l610_socket_close(NULL) == N);
    CHECK(l610_socket_id(NULL, &u8) == N);
    CHECK(l610_socket_get_state(NULL, &ss) == N);
    CHECK(l610_socket_buffered(NULL, &n) == N);
    CHECK(l610_socket_last_error(NULL, buf, sizeof buf, &n) == N);

    CHECK(l610_tls_profile_new(NULL) == N);
    CHECK(l610_tls_profile_set_version(NULL, 4) == N);
    CHECK(l610_tls_profile_set_verify(NULL, 1) == N);
    CHECK(l610_tls_profile_add_trust_file(NULL, ids, 1) == N);
    CHECK(l610_tls_profile_set_client_identity(NULL, ids, 1, ids, 1) == N);
    CHECK(l610_tls_profile_set_ciphers(NULL, ids, 1) == N);
    CHECK(l610_tls_profile_validate(NULL) == N);
}

static void test_profile_offline(void)
{
    l610_tls_profile *p = NULL;
    uint8_t ids[2] = {5, 25};
    uint8_t bad[1] = {40};
    CHECK(l610_tls_profile_new(&p) == L610_OK && p != NULL);
    /* Defaults: verification on with no trust file is refused. */
    CHECK(l610_tls_profile_validate(p) == L610_INVALID_ARGUMENT);
    CHECK(l610_tls_profile_set_version(p, 5) == L610_INVALID_ARGUMENT);
    CHECK(l610_tls_profile_set_version(p, L610_TLS1_2) == L610_OK);
    CHECK(l610_tls_profile_set_verify(p, 2) == L610_INVALID_ARGUMENT);
    CHECK(l610_tls_profile_set_verify(p, L610_VERIFY_NONE) == L610_OK);
    CHECK(l610_tls_profile_validate(p) == L610_OK);
    CHECK(l610_tls_profile_add_trust_file(p, NULL, 0) == L610_NULL_ARGUMENT);
    CHECK(l610_tls_profile_add_trust_file(p, (const uint8_t *)"junk", 4) == L610_OK);
    CHECK(l610_tls_profile_validate(p) == L610_INVALID_ARGUMENT); /* not a certificate */
    CHECK(l610_tls_profile_set_client_identity(p, NULL, 1, ids, 1) == L610_NULL_ARGUMENT);
    CHECK(l610_tls_profile_set_client_identity(p, ids, 1, NULL, 1) == L610_NULL_ARGUMENT);
    CHECK(l610_tls_profile_set_ciphers(p, NULL, 2) == L610_NULL_ARGUMENT);
    CHECK(l610_tls_profile_set_ciphers(p, bad, 1) == L610_INVALID_ARGUMENT);
    CHECK(l610_tls_profile_set_ciphers(p, ids, 2) == L610_OK);
    CHECK(l610_tls_profile_set_ciphers(p, NULL, 0) == L610_OK);
    l610_tls_profile_free(p);
}

/* ---------------------------------------------------------------- with the virtual module */

struct trace_log {
    pthread_mutex_t lock;
    unsigned tx, rx;
    int saw_at_tx;
};

static void on_trace(void *user_data, l610_direction direction, const char *text, uint64_t elapsed_us)
{
    struct trace_log *log = user_data;
    (void)elapsed_us;
    pthread_mutex_lock(&log->lock);
    if (direction == L610_TX) {
        log->tx++;
        if (strstr(text, "AT") != NULL) log->saw_at_tx = 1;
    } else {
        log->rx++;
    }
    pthread_mutex_unlock(&log->lock);
}

static void test_last_error(l610_modem *m)
{
    char buf[256], small[8];
    size_t n = 0;
    uint16_t cme = 0;
    int32_t code = 0;
    l610_status st;
    /* A command the module refuses. */
    st = l610_modem_command(m, "AT+NOSUCHCMD", NULL, 0, buf, sizeof buf, &n);
    CHECK(st == L610_AT_ERROR || st == L610_CME_ERROR);
    CHECK(l610_modem_last_error(m, buf, sizeof buf, &n) == L610_OK && n > 0 && n == strlen(buf));
    CHECK(strstr(buf, "NOSUCHCMD") != NULL);
    CHECK(l610_modem_last_error(m, small, sizeof small, &n) == L610_BUFFER_TOO_SMALL);
    CHECK(strlen(small) == sizeof small - 1 && n > sizeof small);
    CHECK(l610_modem_last_error(m, NULL, 0, &n) == L610_BUFFER_TOO_SMALL && n > 0);
    CHECK(l610_modem_last_error(m, NULL, 4, &n) == L610_NULL_ARGUMENT);
    CHECK(l610_modem_last_error(m, buf, sizeof buf, NULL) == L610_NULL_ARGUMENT);
    if (st == L610_CME_ERROR) {
        CHECK(l610_modem_last_cme_code(m, &cme) == L610_OK || 1);
    } else {
        cme = 4242;
        CHECK(l610_modem_last_cme_code(m, &cme) == L610_NOT_AVAILABLE && cme == 4242);
    }
    CHECK(l610_modem_last_cme_code(m, NULL) == L610_NULL_ARGUMENT);
    code = 77;
    CHECK(l610_modem_last_ssl_error(m, &code, NULL, 0, NULL) == L610_NOT_AVAILABLE && code == 77);
    CHECK(l610_modem_last_ssl_error(m, NULL, NULL, 0, NULL) == L610_NULL_ARGUMENT);
    /* Numeric +CME ERROR after AT+CMEE=1. */
    CHECK_ST(m, l610_modem_command(m, "AT+CMEE=1", NULL, 0, buf, sizeof buf, &n), L610_OK);
    st = l610_modem_command(m, "AT+GTSSLMODE=7", NULL, 0, buf, sizeof buf, &n);
    if (st == L610_CME_ERROR) {
        CHECK(l610_modem_last_cme_code(m, &cme) == L610_OK);
        fprintf(stderr, "  +CME ERROR code %u\n", (unsigned)cme);
    } else {
        CHECK(st == L610_AT_ERROR);
    }
    CHECK_ST(m, l610_modem_command(m, "AT+CMEE=0", NULL, 0, buf, sizeof buf, &n), L610_OK);
}

static void test_command(l610_modem *m)
{
    char buf[512], tiny[4];
    size_t n = 0;
    CHECK_ST(m, l610_modem_command(m, "ATI", NULL, 0, buf, sizeof buf, &n), L610_OK);
    CHECK(n == strlen(buf) && n > 0);
    CHECK_ST(m, l610_modem_command(m, "+GTSSLMODE?", "+GTSSLMODE", 2000, buf, sizeof buf, &n), L610_OK);
    CHECK(strncmp(buf, "+GTSSLMODE:", 11) == 0);
    CHECK_ST(m, l610_modem_command(m, "AT+GTSSLMODE?", "+X,+GTSSLMODE", 0, buf, sizeof buf, &n), L610_OK);
    CHECK(strncmp(buf, "+GTSSLMODE:", 11) == 0);
    /* The one meaning of a raw command (core): the command's own lines without `expects`. */
    CHECK_ST(m, l610_modem_command(m, "+CSQ", NULL, 0, buf, sizeof buf, &n), L610_OK);
    CHECK(strcmp(buf, "+CSQ: 24,99") == 0);
    CHECK_ST(m, l610_modem_command(m, "at+csq", NULL, 0, buf, sizeof buf, &n), L610_OK);
    CHECK(strcmp(buf, "+CSQ: 24,99") == 0);
    CHECK_ST(m, l610_modem_command(m, "AT+GTSSLMODE?", "+GTSSLMODE", 0, tiny, sizeof tiny, &n),
             L610_BUFFER_TOO_SMALL);
    CHECK(strlen(tiny) == 3 && n > 3);
    CHECK(l610_modem_command(m, NULL, NULL, 0, buf, sizeof buf, &n) == L610_NULL_ARGUMENT);
    CHECK(l610_modem_command(m, "AT", NULL, 0, NULL, 4, &n) == L610_NULL_ARGUMENT);
    CHECK(l610_modem_command(m, "AT", NULL, 0, buf, sizeof buf, NULL) == L610_NULL_ARGUMENT);
    CHECK(l610_modem_command(m, "AT", "\xff", 0, buf, sizeof buf, &n) == L610_INVALID_ARGUMENT);
}

static void test_ssl_settings(l610_modem *m, const char *ca_path)
{
    l610_file_counts c, before;
    l610_file_support fs;
    l610_verify_mode vm;
    l610_ssl_version sv;
    uint64_t mask = 0, cmds = 0;
    uint8_t ids[32], want[2] = {25, 5}, bad[2] = {5, 0};
    size_t n = 0, ca_len = 0;
    int32_t code = 1;
    unsigned char *ca = read_file(ca_path, &ca_len);

    CHECK_ST(m, l610_modem_ssl_file_counts(m, &before), L610_OK);
    CHECK_ST(m, l610_modem_load_file(m, L610_TRUSTFILE, ca, ca_len, &c), L610_OK);
    CHECK(c.trust == before.trust + 1);
    CHECK_ST(m, l610_modem_load_file(m, L610_TRUSTFILE, ca, ca_len, NULL), L610_OK);
    CHECK_ST(m, l610_modem_load_file_from_path(m, L610_TRUSTFILE, ca_path, &c), L610_OK);
    CHECK(c.trust == before.trust + 3);
    CHECK_ST(m, l610_modem_ssl_file_counts(m, &c), L610_OK);
    CHECK(c.trust == before.trust + 3 && c.cert == 0 && c.key == 0);
    CHECK(l610_modem_load_file(m, 3, ca, ca_len, &c) == L610_INVALID_ARGUMENT);
    CHECK(l610_modem_load_file(m, L610_TRUSTFILE, NULL, 10, &c) == L610_NULL_ARGUMENT);
    CHECK(l610_modem_load_file(m, L610_TRUSTFILE, NULL, 0, &c) == L610_NULL_ARGUMENT);
    CHECK(l610_modem_load_file(m, L610_KEYFILE, ca, ca_len, &c) == L610_INVALID_ARGUMENT);
    CHECK(l610_modem_load_file(m, L610_TRUSTFILE, (const uint8_t *)"hello", 5, &c) == L610_INVALID_ARGUMENT);
    /* One rule for files (core l610::ssl::read_file): a missing file is the OS's NotFound. */
    CHECK(l610_modem_load_file_from_path(m, L610_TRUSTFILE, "/nonexistent.pem", &c) == L610_IO_ERROR);
    CHECK(l610_modem_load_file_from_path(m, L610_TRUSTFILE, NULL, &c) == L610_NULL_ARGUMENT);
    CHECK(l610_modem_ssl_file_counts(m, NULL) == L610_NULL_ARGUMENT);
    CHECK_ST(m, l610_modem_ssl_file_support(m, &fs), L610_OK);
    CHECK(fs.file_types == 7u);
    CHECK(!fs.has_length || fs.length_max >= 8192);
    CHECK(l610_modem_ssl_file_support(m, NULL) == L610_NULL_ARGUMENT);
    free(ca);

    /* +GTSSLMODE */
    CHECK_ST(m, l610_modem_set_verify_mode(m, L610_VERIFY_PEER), L610_OK);
    CHECK_ST(m, l610_modem_verify_mode(m, &vm), L610_OK);
    CHECK(vm == L610_VERIFY_PEER);
    CHECK_ST(m, l610_modem_set_verify_mode(m, L610_VERIFY_NONE), L610_OK);
    CHECK_ST(m, l610_modem_verify_mode(m, &vm), L610_OK);
    CHECK(vm == L610_VERIFY_NONE);
    CHECK(l610_modem_set_verify_mode(m, 2) == L610_INVALID_ARGUMENT);
    CHECK(l610_modem_verify_mode(m, NULL) == L610_NULL_ARGUMENT);
    CHECK_ST(m, l610_modem_verify_mode_support(m, &mask), L610_OK);
    CHECK(mask == 3u);
    CHECK(l610_modem_verify_mode_support(m, NULL) == L610_NULL_ARGUMENT);

    /* +GTSSLVER */
    CHECK_ST(m, l610_modem_set_ssl_version(m, L610_TLS1_1), L610_OK);
    CHECK_ST(m, l610_modem_ssl_version(m, &sv), L610_OK);
    CHECK(sv == L610_TLS1_1);
    CHECK_ST(m, l610_modem_set_ssl_version(m, L610_TLS1_2), L610_OK);
    CHECK_ST(m, l610_modem_ssl_version(m, &sv), L610_OK);
    CHECK(sv == L610_TLS1_2);
    CHECK(l610_modem_set_ssl_version(m, 5) == L610_INVALID_ARGUMENT);
    CHECK(l610_modem_ssl_version(m, NULL) == L610_NULL_ARGUMENT);
    CHECK_ST(m, l610_modem_ssl_version_support(m, &mask), L610_OK);
    CHECK((mask & (1u << L610_TLS1_2)) != 0);
    CHECK(l610_modem_ssl_version_support(m, NULL) == L610_NULL_ARGUMENT);

    /* +GTSSLCIPHER */
    CHECK_ST(m, l610_modem_cipher_support(m, &mask, &cmds), L610_OK);
    CHECK((mask & (1u << 5)) != 0 && (mask & (1u << 31)) != 0 && (cmds & 3u) == 3u);
    CHECK(l610_modem_cipher_support(m, NULL, &cmds) == L610_NULL_ARGUMENT);
    CHECK(l610_modem_cipher_support(m, &mask, NULL) == L610_NULL_ARGUMENT);
    CHECK_ST(m, l610_modem_set_enabled_ciphers(m, want, 2), L610_OK);
    CHECK_ST(m, l610_modem_enabled_ciphers(m, ids, sizeof ids, &n), L610_OK);
    CHECK(n == 2 && ((ids[0] == 5 && ids[1] == 25) || (ids[0] == 25 && ids[1] == 5)));
    CHECK(l610_modem_enabled_ciphers(m, ids, 1, &n) == L610_BUFFER_TOO_SMALL && n == 2);
    CHECK(l610_modem_enabled_ciphers(m, NULL, 0, &n) == L610_BUFFER_TOO_SMALL && n == 2);
    CHECK(l610_modem_enabled_ciphers(m, NULL, 3, &n) == L610_NULL_ARGUMENT);
    CHECK(l610_modem_enabled_ciphers(m, ids, 3, NULL) == L610_NULL_ARGUMENT);
    CHECK_ST(m, l610_modem_set_cipher(m, 25, false), L610_OK);
    CHECK_ST(m, l610_modem_enabled_ciphers(m, ids, sizeof ids, &n), L610_OK);
    CHECK(n == 1 && ids[0] == 5);
    CHECK(l610_modem_set_cipher(m, 0, true) == L610_INVALID_ARGUMENT);
    CHECK(l610_modem_set_cipher(m, 32, true) == L610_INVALID_ARGUMENT);
    CHECK(l610_modem_set_enabled_ciphers(m, bad, 2) == L610_INVALID_ARGUMENT);
    CHECK(l610_modem_set_enabled_ciphers(m, NULL, 2) == L610_NULL_ARGUMENT);
    CHECK_ST(m, l610_modem_set_enabled_ciphers(m, NULL, 0), L610_OK);
    CHECK_ST(m, l610_modem_enabled_ciphers(m, ids, sizeof ids, &n), L610_OK);
    CHECK(n == 0);

    /* +GTSSLERR, both forms */
    CHECK_ST(m, l610_modem_ssl_error(m, &code), L610_OK);
    CHECK(code <= 0);
    code = 1;
    CHECK_ST(m, l610_modem_ssl_error_exec(m, &code), L610_OK);
    CHECK(code <= 0);
    CHECK(l610_modem_ssl_error(m, NULL) == L610_NULL_ARGUMENT);
    CHECK(l610_modem_ssl_error_exec(m, NULL) == L610_NULL_ARGUMENT);
}

static void test_receive_format(l610_modem *m)
{
    l610_receive_format f = 99;
    CHECK_ST(m, l610_modem_receive_format(m, &f), L610_OK);
    CHECK(f == L610_RECEIVE_HEX);
    CHECK_ST(m, l610_modem_set_receive_format(m, L610_RECEIVE_RAW), L610_OK);
    CHECK_ST(m, l610_modem_receive_format(m, &f), L610_OK);
    CHECK(f == L610_RECEIVE_RAW);
    CHECK(l610_modem_set_receive_format(m, 3) == L610_INVALID_ARGUMENT);
    CHECK(l610_modem_receive_format(m, NULL) == L610_NULL_ARGUMENT);
}

static void test_pdp(l610_modem *m)
{
    char ip[64], tiny[3];
    size_t n = 0;
    l610_pdp_state st = 99;
    CHECK_ST(m, l610_modem_pdp_status(m, &st, ip, sizeof ip, &n), L610_OK);
    CHECK(st == L610_PDP_INACTIVE && n == 0 && ip[0] == '\0');
    CHECK(l610_modem_activate_pdp(m, NULL, "user", NULL, ip, sizeof ip, &n) == L610_INVALID_ARGUMENT);
    CHECK(l610_modem_activate_pdp(m, NULL, "user", "pwd", ip, sizeof ip, &n) == L610_INVALID_ARGUMENT);
    CHECK(l610_modem_activate_pdp(m, NULL, NULL, NULL, NULL, 0, &n) == L610_NULL_ARGUMENT);
    CHECK(l610_modem_activate_pdp(m, NULL, NULL, NULL, ip, sizeof ip, NULL) == L610_NULL_ARGUMENT);
    CHECK_ST(m, l610_modem_activate_pdp(m, "internet", "user", "pwd", ip, sizeof ip, &n), L610_OK);
    CHECK(n > 6 && n == strlen(ip));
    fprintf(stderr, "  PDP active, IP %s\n", ip);
    CHECK_ST(m, l610_modem_pdp_status(m, &st, ip, sizeof ip, &n), L610_OK);
    CHECK(st == L610_PDP_ACTIVE && n > 6);
    st = 99;
    CHECK_ST(m, l610_modem_pdp_status(m, &st, NULL, 0, NULL), L610_OK);
    CHECK(st == L610_PDP_ACTIVE);
    st = 99;
    CHECK(l610_modem_pdp_status(m, &st, tiny, sizeof tiny, &n) == L610_BUFFER_TOO_SMALL);
    CHECK(st == L610_PDP_ACTIVE && strlen(tiny) == 2 && n > 2);
    CHECK(l610_modem_pdp_status(m, NULL, ip, sizeof ip, &n) == L610_NULL_ARGUMENT);
    CHECK(l610_modem_pdp_status(m, &st, NULL, 4, &n) == L610_NULL_ARGUMENT);
    CHECK(l610_modem_pdp_status(m, &st, ip, sizeof ip, NULL) == L610_NULL_ARGUMENT);
    CHECK_ST(m, l610_modem_deactivate_pdp(m), L610_OK);
    CHECK_ST(m, l610_modem_pdp_status(m, &st, NULL, 0, NULL), L610_OK);
    CHECK(st == L610_PDP_INACTIVE);
    CHECK_ST(m, l610_modem_activate_pdp(m, NULL, NULL, NULL, ip, sizeof ip, &n), L610_OK);
}

/* The field basics (issue 9) against the virtual module, registered at power-up. */
static void test_field_basics(l610_modem *m)
{
    char text[128];
    size_t n = 0, count = 0;
    bool ready = false, registered = false, attached = false;
    l610_registration reg;
    l610_signal_quality q;
    l610_operator op;
    l610_ip_address ips[8];
    l610_ping_options po;
    l610_ping_report pr;
    uint32_t rtts[4];
    uint8_t fun = 0;

    CHECK_ST(m, l610_modem_sim_status(m, &ready, text, sizeof text, &n), L610_OK);
    CHECK(ready && strcmp(text, "READY") == 0);
    CHECK_ST(m, l610_modem_sim_status(m, &ready, NULL, 0, NULL), L610_OK);
    CHECK_ST(m, l610_modem_registration(m, L610_DOMAIN_EPS, &reg), L610_OK);
    CHECK(reg.registered && reg.status == L610_REG_HOME && !reg.has_location);
    CHECK_ST(m, l610_modem_set_registration_reporting(m, L610_DOMAIN_EPS, 2), L610_OK);
    CHECK_ST(m, l610_modem_registration(m, L610_DOMAIN_EPS, &reg), L610_OK);
    CHECK(reg.reporting == 2 && reg.has_location && strlen(reg.area) > 0 && strlen(reg.cell) > 0);
    CHECK_ST(m, l610_modem_set_registration_reporting(m, L610_DOMAIN_EPS, 0), L610_OK);
    CHECK(l610_modem_registration(m, 3, &reg) == L610_INVALID_ARGUMENT);
    CHECK(l610_modem_set_registration_reporting(m, L610_DOMAIN_CS, 3) == L610_INVALID_ARGUMENT);
    CHECK_ST(m, l610_modem_is_registered(m, &registered), L610_OK);
    CHECK(registered);
    CHECK_ST(m, l610_modem_signal_quality(m, &q), L610_OK);
    CHECK(q.rssi == 24 && q.has_dbm && q.dbm == -65);
    CHECK_ST(m, l610_modem_operator_info(m, &op, text, sizeof text, &n), L610_OK);
    CHECK(op.has_name && n > 0);
    fprintf(stderr, "  operator %s, mode %u, act %u\n", text, (unsigned)op.mode, (unsigned)op.act);
    CHECK_ST(m, l610_modem_attached(m, &attached), L610_OK);
    CHECK(attached);
    CHECK_ST(m, l610_modem_functionality(m, &fun), L610_OK);
    CHECK(fun == 1);
    CHECK_ST(m, l610_modem_identity(m, L610_ID_MANUFACTURER, text, sizeof text, &n), L610_OK);
    CHECK(strcmp(text, "Fibocom") == 0);
    CHECK_ST(m, l610_modem_identity(m, L610_ID_MODEL, text, sizeof text, &n), L610_OK);
    CHECK(strcmp(text, "L610") == 0);
    CHECK_ST(m, l610_modem_identity(m, L610_ID_IMEI, text, sizeof text, &n), L610_OK);
    CHECK(n == 15);
    CHECK(l610_modem_identity(m, L610_ID_IMEI, text, 4, &n) == L610_BUFFER_TOO_SMALL && n == 15);
    CHECK(l610_modem_identity(m, 6, text, sizeof text, &n) == L610_INVALID_ARGUMENT);
    /* DNS and ping need the PDP context (test_pdp left it active). */
    CHECK_ST(m, l610_modem_resolve(m, "localhost", ips, 8, &count), L610_OK);
    CHECK(count >= 1 && ips[0].family == 4 && ips[0].bytes[0] == 127);
    CHECK(l610_modem_resolve(m, "localhost", ips, 0, &count) == L610_BUFFER_TOO_SMALL && count >= 1);
    CHECK(l610_modem_resolve(m, "bad host\"", ips, 8, &count) == L610_INVALID_ARGUMENT);
    CHECK(l610_ping_options_init(&po) == L610_OK && po.count == 4 && po.timeout_ms == 5000);
    po.count = 2;
    po.timeout_ms = 2000;
    CHECK_ST(m, l610_modem_ping(m, "127.0.0.1", &po, &pr, rtts, 4, &count), L610_OK);
    CHECK(pr.sent == 2 && pr.received == 2 && pr.has_average && count == 2);
    CHECK(strcmp(pr.ip, "127.0.0.1") == 0);
    po.count = 0;
    CHECK(l610_modem_ping(m, "127.0.0.1", &po, &pr, NULL, 0, NULL) == L610_INVALID_ARGUMENT);
}

static void test_clock(l610_modem *m)
{
    l610_time t, set, bad;
    memset(&t, 0, sizeof t);
    CHECK_ST(m, l610_modem_clock(m, &t), L610_OK);
    CHECK(t.year >= 2000 && t.year <= 2099 && t.month >= 1 && t.month <= 12);
    memset(&set, 0, sizeof set);
    set.year = 2030;
    set.month = 6;
    set.day = 15;
    set.hour = 12;
    set.minute = 34;
    set.second = 56;
    set.has_zone = true;
    set.zone_quarters = 8;
    CHECK_ST(m, l610_modem_set_clock(m, &set), L610_OK);
    CHECK_ST(m, l610_modem_clock(m, &t), L610_OK);
    CHECK(t.year == 2030 && t.month == 6 && t.day == 15 && t.hour == 12 && t.minute == 34);
    bad = set;
    bad.month = 2;
    bad.day = 30;
    CHECK(l610_modem_set_clock(m, &bad) == L610_INVALID_ARGUMENT);
    bad = set;
    bad.year = 1999;
    CHECK(l610_modem_set_clock(m, &bad) == L610_INVALID_ARGUMENT);
    CHECK(l610_modem_set_clock(m, NULL) == L610_NULL_ARGUMENT);
    CHECK(l610_modem_clock(m, NULL) == L610_NULL_ARGUMENT);
    /* back to the boot date for the clock-skew test */
    set.year = 2015;
    set.month = 1;
    set.day = 1;
    CHECK_ST(m, l610_modem_set_clock(m, &set), L610_OK);
}

static void test_tls(l610_modem *m, unsigned port, const char *cert_path, const char *key_path,
                     const char *ca_path)
{
    l610_open_options o;
    l610_socket *s = NULL, *s2 = (l610_socket *)1;
    l610_tls_profile *p = NULL;
    l610_socket_state state;
    l610_time now;
    char text[512];
    unsigned char buf[256];
    size_t n = 0, got = 0, total = 0, cert_len, key_len, ca_len;
    int32_t code = 0;
    uint8_t id = 0;
    static const char request[] = "GET / HTTP/1.0\r\n\r\n";
    unsigned char *cert = read_file(cert_path, &cert_len);
    unsigned char *key = read_file(key_path, &key_len);
    unsigned char *ca = read_file(ca_path, &ca_len);
    uint8_t suites[3] = {24, 25, 5};

    /* A verified open with the module clock at 2015 is refused before connecting... */
    CHECK_ST(m, l610_modem_set_verify_mode(m, L610_VERIFY_PEER), L610_OK);
    CHECK_ST(m, l610_modem_open_tls(m, "127.0.0.1", (uint16_t)port, &s2), L610_CLOCK_SKEW);
    CHECK(s2 == (l610_socket *)1);
    /* ... and without the check the handshake fails with -11 and a diagnosis. */
    CHECK(l610_open_options_init(&o) == L610_OK);
    o.check_clock = false;
    CHECK_ST(m, l610_modem_open_socket(m, L610_PROTOCOL_TLS, "127.0.0.1", (uint16_t)port, &o, &s2),
             L610_SSL_ERROR);
    CHECK(s2 == (l610_socket *)1);
    CHECK_ST(m, l610_modem_last_ssl_error(m, &code, text, sizeof text, &n), L610_OK);
    CHECK(code < 0 && n > 0);
    fprintf(stderr, "  expected TLS failure: +GTSSLERR %d: %s\n", (int)code, text);
    code = 0;
    CHECK(l610_modem_last_ssl_error(m, &code, text, 4, &n) == L610_BUFFER_TOO_SMALL && code < 0);
    CHECK(l610_modem_last_ssl_error(m, &code, NULL, 4, &n) == L610_NULL_ARGUMENT);
    CHECK_ST(m, l610_modem_ssl_error(m, &code), L610_OK);
    CHECK(code < 0);

    /* A profile with everything, applied with auto re-apply. */
    CHECK(l610_tls_profile_new(&p) == L610_OK);
    CHECK(l610_tls_profile_set_version(p, L610_TLS1_2) == L610_OK);
    CHECK(l610_tls_profile_set_verify(p, L610_VERIFY_PEER) == L610_OK);
    CHECK(l610_tls_profile_add_trust_file(p, ca, ca_len) == L610_OK);
    CHECK(l610_tls_profile_set_client_identity(p, cert, cert_len, key, key_len) == L610_OK);
    CHECK(l610_tls_profile_set_ciphers(p, suites, 3) == L610_OK);
    CHECK_ST(m, l610_tls_profile_validate(p), L610_OK);
    CHECK_ST(m, l610_modem_apply_profile(m, p), L610_OK);
    CHECK_ST(m, l610_modem_set_profile(m, p, true), L610_OK);
    l610_tls_profile_free(p); /* the modem keeps a copy */
    CHECK_ST(m, l610_modem_reapply_profile(m), L610_OK);
    CHECK(l610_modem_apply_profile(m, NULL) == L610_NULL_ARGUMENT);
    CHECK(l610_modem_set_profile(m, NULL, false) == L610_NULL_ARGUMENT);
    free(cert);
    free(key);
    free(ca);

    CHECK_ST(m, l610_modem_set_clock_from_host(m, &now), L610_OK);
    CHECK(now.year >= 2024 && now.has_zone && now.zone_quarters == 0);
    CHECK_ST(m, l610_modem_set_clock_from_host(m, NULL), L610_OK);

    /* Bad arguments are refused before anything is sent. */
    CHECK(l610_modem_open_tls(m, NULL, (uint16_t)port, &s2) == L610_NULL_ARGUMENT);
    CHECK(l610_modem_open_tls(m, "127.0.0.1", (uint16_t)port, NULL) == L610_NULL_ARGUMENT);
    CHECK(l610_modem_open_tls(m, "", (uint16_t)port, &s2) == L610_INVALID_ARGUMENT);
    CHECK(l610_modem_open_tls(m, "127.0.0.1", 0, &s2) == L610_INVALID_ARGUMENT);
    CHECK(l610_modem_open_socket(m, 1, "127.0.0.1", (uint16_t)port, NULL, &s2) == L610_INVALID_ARGUMENT);
    o.id = 9;
    CHECK(l610_modem_open_socket(m, L610_PROTOCOL_TLS, "127.0.0.1", (uint16_t)port, &o, &s2) == L610_INVALID_ARGUMENT);
    CHECK(s2 == (l610_socket *)1);

    /* The real thing. */
    CHECK(l610_open_options_init(&o) == L610_OK);
    o.id = 3;
    o.timeout_ms = 30000;
    CHECK_ST(m, l610_modem_open_socket(m, L610_PROTOCOL_TLS, "127.0.0.1", (uint16_t)port, &o, &s), L610_OK);
    if (s == NULL) return;
    CHECK(l610_socket_id(s, &id) == L610_OK && id == 3);
    CHECK(l610_socket_id(s, NULL) == L610_NULL_ARGUMENT);
    CHECK(l610_socket_get_state(s, &state) == L610_OK && state == L610_SOCKET_OPEN);
    CHECK(l610_socket_get_state(s, NULL) == L610_NULL_ARGUMENT);
    CHECK(l610_socket_recv(s, buf, sizeof buf, 0, &got) == L610_TIMEOUT);
    CHECK(l610_socket_last_error(s, text, sizeof text, &n) == L610_OK && n > 0);
    CHECK(l610_socket_send(s, NULL, 5) == L610_NULL_ARGUMENT);
    CHECK(l610_socket_send(s, NULL, 0) == L610_OK);
    CHECK_ST(m, l610_socket_send(s, (const uint8_t *)request, strlen(request)), L610_OK);
    CHECK(l610_socket_recv(s, NULL, 4, 1000, &got) == L610_NULL_ARGUMENT);
    CHECK(l610_socket_recv(s, buf, sizeof buf, 1000, NULL) == L610_NULL_ARGUMENT);
    for (;;) {
        l610_status st = l610_socket_recv(s, buf, sizeof buf, 15000, &got);
        if (st != L610_OK) {
            CHECK_ST(m, st, L610_OK);
            break;
        }
        if (got == 0) break;
        if (total == 0) CHECK(memcmp(buf, "HTTP/1.0 200", 12) == 0);
        total += got;
    }
    CHECK(total > 100);
    CHECK(l610_socket_buffered(s, &n) == L610_OK && n == 0);
    CHECK(l610_socket_buffered(s, NULL) == L610_NULL_ARGUMENT);
    CHECK_ST(m, l610_socket_close(s), L610_OK);
    CHECK(l610_socket_close(s) == L610_OK);
    CHECK(l610_socket_get_state(s, &state) == L610_OK && state == L610_SOCKET_CLOSED);
    CHECK(l610_socket_send(s, (const uint8_t *)"x", 1) == L610_CLOSED);
    CHECK(l610_socket_recv(s, buf, sizeof buf, 0, &got) == L610_CLOSED);
    CHECK(l610_socket_id(s, &id) == L610_CLOSED);
    CHECK(l610_socket_last_error(s, text, sizeof text, &n) == L610_OK && strstr(text, "closed") != NULL);
    CHECK(l610_socket_last_error(s, text, sizeof text, NULL) == L610_NULL_ARGUMENT);
    l610_socket_free(s);

    /* Plain TCP to the same server; free without close closes it. */
    s = NULL;
    CHECK_ST(m, l610_modem_open_tcp(m, "127.0.0.1", (uint16_t)port, &s), L610_OK);
    l610_socket_free(s);
    /* Nothing listening: a TLS open fails with an SSL error code. */
    o.id = 0;
    o.timeout_ms = 20000;
    s2 = (l610_socket *)1;
    CHECK_ST(m, l610_modem_open_socket(m, L610_PROTOCOL_TLS, "127.0.0.1", 1, &o, &s2), L610_SSL_ERROR);
    CHECK(s2 == (l610_socket *)1);
}

/* ---------------------------------------------------------------- blocking calls and threads */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
}

/* A thread whose end the test can wait for with a deadline: a call that never returns fails the
 * suite (with its summary line) instead of hanging it. */
struct job {
    pthread_mutex_t lock;
    int done;
    void (*fn)(struct job *);
    l610_socket *s;
    l610_status st;
    size_t got;
};

static void *job_main(void *arg)
{
    struct job *j = arg;
    j->fn(j);
    pthread_mutex_lock(&j->lock);
    j->done = 1;
    pthread_mutex_unlock(&j->lock);
    return NULL;
}

static void job_start(struct job *j, pthread_t *t, void (*fn)(struct job *), l610_socket *s)
{
    pthread_mutex_init(&j->lock, NULL);
    j->done = 0;
    j->fn = fn;
    j->s = s;
    j->st = L610_PANIC;
    j->got = 0;
    CHECK(pthread_create(t, NULL, job_main, j) == 0);
}

/* Wait up to `seconds` for the job; joins it when it ended. On a hang, report and stop. */
static void job_finish(struct job *j, pthread_t t, double seconds, const char *what)
{
    double deadline = now_s() + seconds;
    int done = 0;
    while (!done && now_s() < deadline) {
        pthread_mutex_lock(&j->lock);
        done = j->done;
        pthread_mutex_unlock(&j->lock);
        if (!done) sleep_ms(10);
    }
    if (!done) {
        failed++;
        fprintf(stderr, "FAIL %s:%d: %s did not return within %.0f s\n", __FILE__, __LINE__, what,
                seconds);
        printf("%d passed, %d failed\n", passed, failed);
        fflush(NULL);
        _exit(1); /* the blocked thread cannot be joined */
    }
    pthread_join(t, NULL);
    pthread_mutex_destroy(&j->lock);
}

static void recv_forever(struct job *j)
{
    unsigned char buf[64];
    j->st = l610_socket_recv(j->s, buf, sizeof buf, -1, &j->got);
}

static void close_socket(struct job *j)
{
    j->st = l610_socket_close(j->s);
}

/* Issue #8, defect 14: a recv without a timeout in one thread must not block a close from
 * another; the recv returns L610_CLOSED. (It used to hold the socket's lock for its whole wait.) */
static void test_close_wakes_blocked_recv(l610_modem *m, unsigned port)
{
    l610_socket *s = NULL;
    struct job reader, closer;
    pthread_t rt, ct;
    l610_socket_state state;
    l610_verify_mode vm;
    double t0;
    /* Plain TCP to the TLS server: it waits for a ClientHello that never comes, so the socket
     * stays open and silent. */
    CHECK_ST(m, l610_modem_open_tcp(m, "127.0.0.1", (uint16_t)port, &s), L610_OK);
    if (s == NULL) return;
    job_start(&reader, &rt, recv_forever, s);
    sleep_ms(300);
    t0 = now_s();
    job_start(&closer, &ct, close_socket, s);
    job_finish(&closer, ct, 10, "l610_socket_close with a recv blocked in another thread");
    CHECK_ST(m, closer.st, L610_OK);
    job_finish(&reader, rt, 10, "l610_socket_recv(-1) after l610_socket_close");
    CHECK_ST(m, reader.st, L610_CLOSED);
    CHECK(now_s() - t0 < 3.0);
    CHECK(l610_socket_get_state(s, &state) == L610_OK && state == L610_SOCKET_CLOSED);
    l610_socket_free(s);
    CHECK_ST(m, l610_modem_verify_mode(m, &vm), L610_OK);
}

/* l610_modem_interrupt ends a blocking call in another thread with L610_CANCELLED; the socket and
 * the modem stay usable, and later calls are not affected. */
static void test_interrupt(l610_modem *m, unsigned port)
{
    l610_socket *s = NULL;
    struct job reader;
    pthread_t rt;
    l610_socket_state state;
    l610_verify_mode vm;
    unsigned char buf[8];
    size_t got = 0;
    double t0;
    CHECK_ST(m, l610_modem_interrupt(m), L610_OK); /* nothing in progress: no effect */
    CHECK_ST(m, l610_modem_verify_mode(m, &vm), L610_OK);
    CHECK_ST(m, l610_modem_open_tcp(m, "127.0.0.1", (uint16_t)port, &s), L610_OK);
    if (s == NULL) return;
    job_start(&reader, &rt, recv_forever, s);
    sleep_ms(300);
    t0 = now_s();
    CHECK_ST(m, l610_modem_interrupt(m), L610_OK);
    job_finish(&reader, rt, 10, "l610_socket_recv(-1) after l610_modem_interrupt");
    CHECK_ST(m, reader.st, L610_CANCELLED);
    CHECK(now_s() - t0 < 3.0);
    CHECK(l610_socket_get_state(s, &state) == L610_OK && state == L610_SOCKET_OPEN);
    CHECK(l610_socket_recv(s, buf, sizeof buf, 100, &got) == L610_TIMEOUT);
    CHECK_ST(m, l610_modem_verify_mode(m, &vm), L610_OK);
    CHECK_ST(m, l610_socket_close(s), L610_OK);
    l610_socket_free(s);
}

static void trace_counts(struct trace_log *log, unsigned *tx, unsigned *rx)
{
    pthread_mutex_lock(&log->lock);
    *tx = log->tx;
    *rx = log->rx;
    pthread_mutex_unlock(&log->lock);
}

/* Issue #8, defect 14: l610_modem_free promises that no trace callback runs afterwards, also
 * while sockets of the modem are alive; their calls then fail with L610_CLOSED (a recv blocked
 * in another thread included), and closing and freeing them stays valid. */
static void test_free_with_live_sockets(l610_modem *m, unsigned port, struct trace_log *log)
{
    l610_socket *idle = NULL, *blocked = NULL;
    struct job reader;
    pthread_t rt;
    unsigned tx, rx, tx2, rx2;
    unsigned char buf[8];
    size_t got = 0;
    l610_status st;
    CHECK_ST(m, l610_modem_open_tcp(m, "127.0.0.1", (uint16_t)port, &idle), L610_OK);
    CHECK_ST(m, l610_modem_open_tcp(m, "127.0.0.1", (uint16_t)port, &blocked), L610_OK);
    if (idle == NULL || blocked == NULL) {
        l610_modem_free(m);
        l610_socket_free(idle);
        l610_socket_free(blocked);
        return;
    }
    job_start(&reader, &rt, recv_forever, blocked);
    sleep_ms(300);
    l610_modem_free(m);
    trace_counts(log, &tx, &rx);
    job_finish(&reader, rt, 10, "l610_socket_recv(-1) after l610_modem_free");
    CHECK(reader.st == L610_CLOSED);
    CHECK(l610_socket_send(idle, (const uint8_t *)"x", 1) == L610_CLOSED);
    CHECK(l610_socket_recv(idle, buf, sizeof buf, 0, &got) == L610_CLOSED);
    st = l610_socket_close(idle);
    CHECK(st == L610_OK || st == L610_CLOSED);
    l610_socket_free(idle);
    l610_socket_free(blocked);
    sleep_ms(200);
    trace_counts(log, &tx2, &rx2);
    CHECK(tx2 == tx && rx2 == rx);
    if (tx2 != tx || rx2 != rx) {
        fprintf(stderr, "  trace callback ran after l610_modem_free: tx %u -> %u, rx %u -> %u\n",
                tx, tx2, rx, rx2);
    }
}

struct worker {
    l610_modem *m;
    int ok;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    int i;
    w->ok = 1;
    for (i = 0; i < 10; i++) {
        l610_verify_mode vm;
        l610_file_counts c;
        if (l610_modem_verify_mode(w->m, &vm) != L610_OK) w->ok = 0;
        if (l610_modem_ssl_file_counts(w->m, &c) != L610_OK) w->ok = 0;
    }
    return NULL;
}

static void test_threads(l610_modem *m)
{
    pthread_t t[3];
    struct worker w[3];
    int i;
    for (i = 0; i < 3; i++) {
        w[i].m = m;
        w[i].ok = 0;
        CHECK(pthread_create(&t[i], NULL, worker_main, &w[i]) == 0);
    }
    for (i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        CHECK(w[i].ok);
    }
}

int main(void)
{
    const char *pty = env("L610_PTY");
    unsigned port = (unsigned)strtoul(env("L610_TLS_PORT"), NULL, 10);
    const char *ca = env("L610_CA");
    const char *cert = env("L610_CLIENT_CERT");
    const char *key = env("L610_CLIENT_KEY");
    struct trace_log log;
    l610_modem_options mo;
    l610_modem *m = NULL;

    test_version();
    test_status_text();
    test_ciphers_offline();
    test_null_arguments();
    test_profile_offline();

    memset(&log, 0, sizeof log);
    pthread_mutex_init(&log.lock, NULL);
    CHECK(l610_modem_options_init(&mo) == L610_OK);
    mo.trace = on_trace;
    mo.trace_user_data = &log;
    mo.command_timeout_ms = 10000;
    CHECK_ST(NULL, l610_modem_open_with_options(pty, 115200, &mo, &m), L610_OK);
    if (m == NULL) {
        printf("%d passed, %d failed\n", passed, failed + 1);
        return 1;
    }
    test_command(m);
    test_last_error(m);
    test_ssl_settings(m, ca);
    test_receive_format(m);
    test_pdp(m);
    test_field_basics(m);
    test_clock(m);
    test_threads(m);
    test_tls(m, port, cert, key, ca);
    test_close_wakes_blocked_recv(m, port);
    test_interrupt(m, port);
    /* Frees the modem (sockets still open): the trace counts are final. */
    test_free_with_live_sockets(m, port, &log);
    CHECK(log.tx > 10 && log.rx > 10 && log.saw_at_tx);
    pthread_mutex_destroy(&log.lock);

    /* The simple open forms, on the same port again. */
    m = NULL;
    CHECK_ST(NULL, l610_modem_open(pty, 115200, &m), L610_OK);
    l610_modem_free(m);
    m = NULL;
    CHECK_ST(NULL, l610_modem_open_with_trace(pty, 115200, NULL, NULL, &m), L610_OK);
    l610_modem_free(m);

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
