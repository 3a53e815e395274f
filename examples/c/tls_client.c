/*
 * tls_client: a TLS client through an L610 module.
 *
 *   tls_client PORT_PATH HOST PORT CA_FILE
 *
 * Opens the module on PORT_PATH, activates the PDP context, sets the module clock from the
 * host (verification checks certificate dates against it), loads CA_FILE as a TRUSTFILE,
 * turns verification on, connects to HOST:PORT, sends an HTTP/1.0 request and prints the reply.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l610.h"

/* Print what failed, with the module's own words, and exit. */
static void die(const l610_modem *modem, const char *what, l610_status status)
{
    char text[512];
    size_t n = 0;
    l610_status_text(status, text, sizeof text, &n);
    fprintf(stderr, "tls_client: %s: %s (status %u)\n", what, text, (unsigned)status);
    if (modem != NULL && l610_modem_last_error(modem, text, sizeof text, &n) != L610_NULL_ARGUMENT) {
        fprintf(stderr, "  %s\n", text);
    }
    /* A failed open leaves no handle: its reason is the thread's last error. */
    if (modem == NULL && l610_last_error(text, sizeof text, &n) == L610_OK && n > 0) {
        fprintf(stderr, "  %s\n", text);
    }
    if (status == L610_SSL_ERROR) {
        int32_t code = 0;
        if (l610_modem_last_ssl_error(modem, &code, text, sizeof text, &n) == L610_OK) {
            fprintf(stderr, "  +GTSSLERR: %d: %s\n", (int)code, text);
        }
    }
    exit(1);
}

int main(int argc, char **argv)
{
    l610_modem *modem = NULL;
    l610_socket *tls = NULL;
    l610_status st;
    char ip[64];
    size_t n = 0;
    long port;
    static const char request[] = "GET / HTTP/1.0\r\n\r\n";
    unsigned char reply[1024];
    size_t total = 0;

    if (argc != 5) {
        fprintf(stderr, "usage: %s PORT_PATH HOST PORT CA_FILE\n", argv[0]);
        return 2;
    }
    port = strtol(argv[3], NULL, 10);
    if (port <= 0 || port > 65535) {
        fprintf(stderr, "tls_client: bad port %s\n", argv[3]);
        return 2;
    }
    if (strcmp(l610_version(), L610_VERSION) != 0) {
        fprintf(stderr, "tls_client: header %s but library %s\n", L610_VERSION, l610_version());
        return 1;
    }

    if ((st = l610_modem_open(argv[1], 115200, &modem)) != L610_OK) die(NULL, "open", st);
    if ((st = l610_modem_activate_pdp(modem, NULL, NULL, NULL, ip, sizeof ip, &n)) != L610_OK)
        die(modem, "activate PDP", st);
    fprintf(stderr, "tls_client: PDP active, IP %s\n", ip);
    if ((st = l610_modem_set_clock_from_host(modem, NULL)) != L610_OK) die(modem, "set clock", st);
    if ((st = l610_modem_load_file_from_path(modem, L610_TRUSTFILE, argv[4], NULL)) != L610_OK)
        die(modem, "load trust file", st);
    if ((st = l610_modem_set_ssl_version(modem, L610_TLS1_2)) != L610_OK) die(modem, "set version", st);
    if ((st = l610_modem_set_verify_mode(modem, L610_VERIFY_PEER)) != L610_OK) die(modem, "set verify", st);

    if ((st = l610_modem_open_tls(modem, argv[2], (uint16_t)port, &tls)) != L610_OK) die(modem, "connect", st);
    if ((st = l610_socket_send(tls, (const uint8_t *)request, strlen(request))) != L610_OK)
        die(modem, "send", st);
    for (;;) {
        size_t got = 0;
        st = l610_socket_recv(tls, reply, sizeof reply, 10000, &got);
        if (st != L610_OK) die(modem, "receive", st);
        if (got == 0) break; /* the server closed the connection */
        fwrite(reply, 1, got, stdout);
        total += got;
    }
    fprintf(stderr, "tls_client: %lu bytes received\n", (unsigned long)total);
    if ((st = l610_socket_close(tls)) != L610_OK) die(modem, "close", st);
    l610_socket_free(tls);
    l610_modem_free(modem);
    return total > 0 ? 0 : 1;
}
