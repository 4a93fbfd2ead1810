/*
 * What one idle server-side TLS connection costs OpenSSL's C heap, measured without .NET, so that
 * the floor under Converge's per-session figure is known (docs/benchmarks.md, sixth session).
 *
 * N server SSL objects are made as .NET's SslStream makes them (a shared SSL_CTX with an ECDSA
 * P-256 certificate, a memory BIO in each direction), each handshakes TLS 1.3 with a client that is
 * freed afterwards, and exchanges a few small records (or, with BIG=1, first one 16 KiB record each
 * way). The C heap in use (glibc mallinfo2, after malloc_trim) divided by N is printed.
 *
 * Flags (second argument, any combination): r = SSL_MODE_RELEASE_BUFFERS (TlsIdleBuffers),
 * b = the memory BIOs' buffers swapped for empty ones once idle (TlsMemoryBios), t = SSL_OP_NO_TICKET.
 *
 *   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
 *       -subj /CN=bench.test -keyout key.pem -out cert.pem
 *   gcc -O2 -o measure measure.c -lssl -lcrypto
 *   ./measure 2000 r; ./measure 2000 rb; BIG=1 ./measure 2000 r; BIG=1 ./measure 2000 rb
 */
#include <malloc.h>
#include <openssl/buffer.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char scratch[65536];

/* Moves whatever one side wrote to the other until both handshakes are done. */
static void handshake(SSL *client, BIO *client_in, BIO *client_out, SSL *server, BIO *server_in, BIO *server_out)
{
    for (int i = 0; i < 50; i++) {
        int n;
        while ((n = BIO_read(client_out, scratch, sizeof scratch)) > 0) BIO_write(server_in, scratch, n);
        while ((n = BIO_read(server_out, scratch, sizeof scratch)) > 0) BIO_write(client_in, scratch, n);
        int c = SSL_do_handshake(client), s = SSL_do_handshake(server);
        if (c == 1 && s == 1 && BIO_ctrl_pending(client_out) == 0 && BIO_ctrl_pending(server_out) == 0) break;
    }
}

/* One record from writer to reader (through the writer's output and the reader's input BIO). */
static void record(SSL *writer, BIO *writer_out, SSL *reader, BIO *reader_in, const char *data, int length)
{
    int n;
    SSL_write(writer, data, length);
    while ((n = BIO_read(writer_out, scratch, sizeof scratch)) > 0) BIO_write(reader_in, scratch, n);
    while (SSL_read(reader, scratch, sizeof scratch) > 0) {
    }
}

int main(int argc, char **argv)
{
    static char big[16384];
    int n = argc > 1 ? atoi(argv[1]) : 2000;
    const char *flags = argc > 2 ? argv[2] : "";
    int release = strchr(flags, 'r') != NULL, swap = strchr(flags, 'b') != NULL, no_ticket = strchr(flags, 't') != NULL;
    int large = getenv("BIG") != NULL;

    SSL_CTX *server_ctx = SSL_CTX_new(TLS_server_method());
    if (SSL_CTX_use_certificate_file(server_ctx, "cert.pem", SSL_FILETYPE_PEM) != 1
        || SSL_CTX_use_PrivateKey_file(server_ctx, "key.pem", SSL_FILETYPE_PEM) != 1) {
        fprintf(stderr, "cert.pem and key.pem are needed (see the comment at the top)\n");
        return 1;
    }
    SSL_CTX_set_session_cache_mode(server_ctx, SSL_SESS_CACHE_OFF);
    if (no_ticket) SSL_CTX_set_options(server_ctx, SSL_OP_NO_TICKET);
    SSL_CTX *client_ctx = SSL_CTX_new(TLS_client_method());
    SSL **servers = calloc(n, sizeof *servers);

    malloc_trim(0);
    struct mallinfo2 before = mallinfo2();
    for (int i = 0; i < n; i++) {
        BIO *server_in = BIO_new(BIO_s_mem()), *server_out = BIO_new(BIO_s_mem());
        servers[i] = SSL_new(server_ctx);
        SSL_set_bio(servers[i], server_in, server_out);
        SSL_set_accept_state(servers[i]);
        if (release) SSL_set_mode(servers[i], SSL_MODE_RELEASE_BUFFERS);

        BIO *client_in = BIO_new(BIO_s_mem()), *client_out = BIO_new(BIO_s_mem());
        SSL *client = SSL_new(client_ctx);
        SSL_set_bio(client, client_in, client_out);
        SSL_set_connect_state(client);
        handshake(client, client_in, client_out, servers[i], server_in, server_out);
        if (large) {
            record(client, client_out, servers[i], server_in, big, sizeof big);
            record(servers[i], server_out, client, client_in, big, sizeof big);
        }
        for (int k = 0; k < 5; k++) {
            record(client, client_out, servers[i], server_in, "<presence/>", 11);
            record(servers[i], server_out, client, client_in, "<presence from='x'/>", 20);
        }
        if (swap) {
            BIO_set_mem_buf(server_in, BUF_MEM_new(), BIO_CLOSE);
            BIO_set_mem_buf(server_out, BUF_MEM_new(), BIO_CLOSE);
        }
        SSL_free(client);
    }
    malloc_trim(0);
    struct mallinfo2 after = mallinfo2();
    double used = (double)(after.uordblks - before.uordblks) + (double)(after.hblkhd - before.hblkhd);
    printf("flags=%s big=%d n=%d: %.2f KiB of C heap in use per idle server connection\n", flags, large, n, used / 1024.0 / n);
    return 0;
}
