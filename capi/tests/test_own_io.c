/*
 * Bring your own port: libl610 over a file descriptor the program opened itself and over the
 * program's own read/write callbacks (issue 10, item 1), l610_modem_shutdown waking a blocked
 * receive in another thread (item 3), and why an open failed (l610_last_error). Run by
 * capi/ci.sh against the virtual L610 and openssl s_server, under ASan/UBSan and valgrind.
 *
 * Environment: L610_PTY, L610_TLS_PORT, L610_CA (see test_capi.c).
 * The last line of output is "N passed, N failed".
 */
#define _DEFAULT_SOURCE /* cfmakeraw */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
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

#define CHECK_ST(modem, expr, want) check_status((modem), (expr), (want), #expr, __LINE__)

static void check_status(const l610_modem *m, l610_status got, l610_status want, const char *expr,
                         int line)
{
    char text[512];
    size_t n;
    if (got == want) {
        passed++;
        return;
    }
    failed++;
    fprintf(stderr, "FAIL %s:%d: %s returned %u, expected %u\n", __FILE__, line, expr,
            (unsigned)got, (unsigned)want);
    if (m != NULL && l610_modem_last_error(m, text, sizeof text, &n) == L610_OK)
        fprintf(stderr, "     last error: %s\n", text);
    if (m == NULL && l610_last_error(text, sizeof text, &n) == L610_OK && n > 0)
        fprintf(stderr, "     open error: %s\n", text);
}

static const char *env(const char *name)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0') {
        fprintf(stderr, "test_own_io: %s is not set (run capi/ci.sh)\n", name);
        exit(2);
    }
    return v;
}

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

/* The program owns the port: it opens the tty and puts it in raw mode itself. */
static int open_port(const char *path)
{
    struct termios t;
    int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        perror(path);
        exit(2);
    }
    if (tcgetattr(fd, &t) == 0) {
        cfmakeraw(&t);
        cfsetispeed(&t, B115200);
        cfsetospeed(&t, B115200);
        tcsetattr(fd, TCSANOW, &t);
    }
    return fd;
}

/* The verified TLS exchange every transport must carry: PDP, clock, trust file, verification,
 * then an HTTP request to s_server -www and its whole reply. */
static void tls_exchange(l610_modem *m, unsigned port, const char *ca, const char *what)
{
    l610_pdp_state pdp = L610_PDP_INACTIVE;
    l610_socket *s = NULL;
    char ip[64];
    unsigned char buf[512];
    size_t n = 0, total = 0, got = 0;
    static const char request[] = "GET / HTTP/1.0\r\n\r\n";
    int first = 1;

    fprintf(stderr, "-- %s: verified TLS exchange\n", what);
    CHECK_ST(m, l610_modem_pdp_status(m, &pdp, NULL, 0, NULL), L610_OK);
    if (pdp != L610_PDP_ACTIVE)
        CHECK_ST(m, l610_modem_activate_pdp(m, NULL, NULL, NULL, ip, sizeof ip, &n), L610_OK);
    CHECK_ST(m, l610_modem_set_clock_from_host(m, NULL), L610_OK);
    CHECK_ST(m, l610_modem_load_file_from_path(m, L610_TRUSTFILE, ca, NULL), L610_OK);
    CHECK_ST(m, l610_modem_set_ssl_version(m, L610_TLS1_2), L610_OK);
    CHECK_ST(m, l610_modem_set_verify_mode(m, L610_VERIFY_PEER), L610_OK);
    CHECK_ST(m, l610_modem_open_tls(m, "127.0.0.1", (uint16_t)port, &s), L610_OK);
    if (s == NULL) return;
    CHECK_ST(m, l610_socket_send(s, (const uint8_t *)request, strlen(request)), L610_OK);
    for (;;) {
        l610_status st = l610_socket_recv(s, buf, sizeof buf, 15000, &got);
        if (st != L610_OK) {
            CHECK_ST(m, st, L610_OK);
            break;
        }
        if (got == 0) break;
        if (first) CHECK(got >= 12 && memcmp(buf, "HTTP/1.0 200", 12) == 0);
        first = 0;
        total += got;
    }
    CHECK(total > 100);
    CHECK_ST(m, l610_socket_close(s), L610_OK);
    l610_socket_free(s);
}

/* ---------------------------------------------------------------- why an open failed */

static void test_open_errors(void)
{
    char text[256];
    size_t n = 0;
    l610_modem *m = (l610_modem *)1;
    l610_io io;

    CHECK(l610_modem_open("/dev/l610-no-such-port", 115200, &m) == L610_PORT_ERROR);
    CHECK(m == (l610_modem *)1);
    CHECK(l610_last_error(text, sizeof text, &n) == L610_OK);
    CHECK(n > 0 && strstr(text, "/dev/l610-no-such-port") != NULL);
    fprintf(stderr, "  expected open failure: %s\n", text);
    CHECK(l610_last_error(text, 4, &n) == L610_BUFFER_TOO_SMALL && strlen(text) == 3);
    CHECK(l610_last_error(text, sizeof text, NULL) == L610_NULL_ARGUMENT);

    CHECK(l610_modem_open_fd(-1, NULL, &m) == L610_INVALID_ARGUMENT);
    CHECK(l610_last_error(text, sizeof text, &n) == L610_OK && strstr(text, "-1") != NULL);
    CHECK(l610_modem_open_fd(1000, NULL, &m) == L610_IO_ERROR); /* not an open descriptor */
    CHECK(l610_last_error(text, sizeof text, &n) == L610_OK && strstr(text, "1000") != NULL);
    CHECK(l610_modem_open_io(NULL, NULL, &m) == L610_NULL_ARGUMENT);
    memset(&io, 0, sizeof io);
    CHECK(l610_modem_open_io(&io, NULL, &m) == L610_NULL_ARGUMENT);
    CHECK(l610_last_error(text, sizeof text, &n) == L610_OK && strstr(text, "io->read") != NULL);
    CHECK(l610_modem_open_fd(0, NULL, NULL) == L610_NULL_ARGUMENT);
    CHECK(m == (l610_modem *)1);
}

/* ---------------------------------------------------------------- callbacks */

struct port {
    int fd;
    pthread_mutex_t lock;
    unsigned reads, writes; /* callback calls, to prove none runs after shutdown/free */
    int fail_reads;
    pthread_t caller;       /* the thread that makes the calls on the modem */
    unsigned caller_reads;  /* reads on it: the header promises the reader thread only */
};

static ptrdiff_t port_read(void *user_data, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    struct port *p = user_data;
    struct pollfd pfd;
    ssize_t n;
    pthread_mutex_lock(&p->lock);
    p->reads++;
    if (pthread_equal(pthread_self(), p->caller)) p->caller_reads++;
    pthread_mutex_unlock(&p->lock);
    if (p->fail_reads) return -1;
    pfd.fd = p->fd;
    pfd.events = POLLIN;
    pfd.revents = 0;
    if (poll(&pfd, 1, (int)timeout_ms) <= 0) return 0;
    n = read(p->fd, buf, len);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return 0;
    return n > 0 ? (ptrdiff_t)n : -1;
}

static ptrdiff_t port_write(void *user_data, const uint8_t *buf, size_t len)
{
    struct port *p = user_data;
    ssize_t n;
    pthread_mutex_lock(&p->lock);
    p->writes++;
    pthread_mutex_unlock(&p->lock);
    n = write(p->fd, buf, len);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return 0;
    return (ptrdiff_t)n;
}

static void counts(struct port *p, unsigned *r, unsigned *w)
{
    pthread_mutex_lock(&p->lock);
    *r = p->reads;
    *w = p->writes;
    pthread_mutex_unlock(&p->lock);
}

static l610_io port_io(struct port *p)
{
    l610_io io;
    io.read = port_read;
    io.write = port_write;
    io.user_data = p;
    return io;
}

static void test_callbacks(const char *pty, unsigned port, const char *ca)
{
    struct port p;
    l610_io io;
    l610_modem *m = NULL;
    l610_modem_options o;
    unsigned r1, w1, r2, w2;
    char text[256];
    size_t n;

    memset(&p, 0, sizeof p);
    pthread_mutex_init(&p.lock, NULL);
    p.caller = pthread_self();
    p.fd = open_port(pty);
    io = port_io(&p);
    CHECK(l610_modem_options_init(&o) == L610_OK);
    o.command_timeout_ms = 10000;
    CHECK_ST(NULL, l610_modem_open_io(&io, &o, &m), L610_OK);
    CHECK(l610_last_error(text, sizeof text, &n) == L610_OK && n == 0);
    if (m != NULL) {
        l610_socket *alive = NULL;
        unsigned char b[8];
        size_t got = 0;
        tls_exchange(m, port, ca, "callbacks");
        counts(&p, &r1, &w1);
        CHECK(r1 > 10 && w1 > 10);
        CHECK(p.caller_reads == 0); /* l610_read_callback: only on the library's reader thread */
        /* Freed with a socket still open: still no callback afterwards, and the socket's calls
         * fail with L610_CLOSED without touching the transport. */
        CHECK_ST(m, l610_modem_open_tcp(m, "127.0.0.1", (uint16_t)port, &alive), L610_OK);
        l610_modem_free(m);
        counts(&p, &r1, &w1);
        sleep_ms(200);
        if (alive != NULL) {
            CHECK(l610_socket_send(alive, (const uint8_t *)"x", 1) == L610_CLOSED);
            CHECK(l610_socket_recv(alive, b, sizeof b, 0, &got) == L610_CLOSED);
            l610_socket_free(alive);
        }
        counts(&p, &r2, &w2);
        CHECK(r1 == r2 && w1 == w2); /* no callback after l610_modem_free */
    }

    close(p.fd);

    /* A transport that fails (not the module's port: nothing stale is left on that line): the
     * open says why, and nothing is left behind. */
    p.fd = -1;
    p.fail_reads = 1;
    m = (l610_modem *)1;
    CHECK(l610_modem_open_io(&io, &o, &m) != L610_OK);
    CHECK(m == (l610_modem *)1);
    CHECK(l610_last_error(text, sizeof text, &n) == L610_OK && n > 0);
    fprintf(stderr, "  expected open failure: %s\n", text);
    pthread_mutex_destroy(&p.lock);
}

/* ---------------------------------------------------------------- a descriptor */

static void test_fd(const char *pty, unsigned port, const char *ca)
{
    l610_modem *m = NULL;
    int fd = open_port(pty);
    CHECK_ST(NULL, l610_modem_open_fd(fd, NULL, &m), L610_OK);
    /* The library works on its own duplicate: the program may close its descriptor. */
    close(fd);
    if (m == NULL) return;
    tls_exchange(m, port, ca, "file descriptor");
    l610_modem_free(m);

    /* A non-blocking descriptor works the same. */
    fd = open_port(pty);
    CHECK(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0);
    m = NULL;
    CHECK_ST(NULL, l610_modem_open_fd(fd, NULL, &m), L610_OK);
    if (m != NULL) {
        l610_verify_mode vm;
        CHECK_ST(m, l610_modem_verify_mode(m, &vm), L610_OK);
        CHECK(vm == L610_VERIFY_PEER);
        l610_modem_free(m);
    }
    close(fd);
}

/* ---------------------------------------------------------------- shutdown */

struct job {
    pthread_mutex_t lock;
    int done;
    l610_socket *s;
    l610_status st;
};

static void *recv_forever(void *arg)
{
    struct job *j = arg;
    unsigned char buf[64];
    size_t got = 0;
    l610_status st = l610_socket_recv(j->s, buf, sizeof buf, -1, &got);
    pthread_mutex_lock(&j->lock);
    j->st = st;
    j->done = 1;
    pthread_mutex_unlock(&j->lock);
    return NULL;
}

static int job_done(struct job *j)
{
    int d;
    pthread_mutex_lock(&j->lock);
    d = j->done;
    pthread_mutex_unlock(&j->lock);
    return d;
}

/* l610_modem_shutdown from the main thread wakes a receive blocked (without a timeout) in
 * another thread, which returns L610_CLOSED; closing the socket and freeing the modem then
 * return at once, and no callback runs afterwards. */
static void test_shutdown(const char *pty, unsigned port)
{
    struct port p;
    l610_io io;
    l610_modem *m = NULL;
    l610_socket *s = NULL;
    struct job j;
    pthread_t t;
    double t0, deadline;
    unsigned r1, w1, r2, w2;
    l610_verify_mode vm;

    memset(&p, 0, sizeof p);
    pthread_mutex_init(&p.lock, NULL);
    p.fd = open_port(pty);
    io = port_io(&p);
    CHECK_ST(NULL, l610_modem_open_io(&io, NULL, &m), L610_OK);
    if (m == NULL) return;
    /* Plain TCP to the TLS server: it waits for a ClientHello that never comes. */
    CHECK_ST(m, l610_modem_open_tcp(m, "127.0.0.1", (uint16_t)port, &s), L610_OK);
    if (s == NULL) {
        l610_modem_free(m);
        return;
    }
    memset(&j, 0, sizeof j);
    pthread_mutex_init(&j.lock, NULL);
    j.s = s;
    j.st = L610_PANIC;
    CHECK(pthread_create(&t, NULL, recv_forever, &j) == 0);
    sleep_ms(300); /* let it block (if it has not, shutdown ends it all the same) */
    t0 = now_s();
    CHECK_ST(m, l610_modem_shutdown(m), L610_OK);
    counts(&p, &r1, &w1);
    deadline = now_s() + 10;
    while (!job_done(&j) && now_s() < deadline) sleep_ms(5);
    if (!job_done(&j)) {
        failed++;
        fprintf(stderr, "FAIL: l610_socket_recv(-1) did not return after l610_modem_shutdown\n");
        printf("%d passed, %d failed\n", passed, failed);
        fflush(NULL);
        _exit(1);
    }
    pthread_join(t, NULL);
    CHECK(j.st == L610_CLOSED);
    CHECK(now_s() - t0 < 3.0);
    CHECK(l610_modem_verify_mode(m, &vm) == L610_CLOSED);
    CHECK_ST(m, l610_modem_shutdown(m), L610_OK); /* twice is harmless */
    t0 = now_s();
    {
        l610_status st = l610_socket_close(s);
        CHECK(st == L610_OK || st == L610_CLOSED);
    }
    l610_socket_free(s);
    l610_modem_free(m);
    CHECK(now_s() - t0 < 1.0);
    sleep_ms(200);
    counts(&p, &r2, &w2);
    CHECK(r1 == r2 && w1 == w2); /* no callback after l610_modem_shutdown */
    CHECK(l610_modem_shutdown(NULL) == L610_NULL_ARGUMENT);
    close(p.fd);
    pthread_mutex_destroy(&p.lock);
    pthread_mutex_destroy(&j.lock);
}

int main(void)
{
    const char *pty = env("L610_PTY");
    unsigned port = (unsigned)strtoul(env("L610_TLS_PORT"), NULL, 10);
    const char *ca = env("L610_CA");

    test_open_errors();
    test_fd(pty, port, ca);
    test_callbacks(pty, port, ca);
    test_shutdown(pty, port);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
