// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "loopback-http.h"

static void tls_release(struct lhttp *s);

static int bind_any(unsigned short *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0) {
		close(fd);
		return -errno;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

unsigned short lhttp_dead_port(void)
{
	unsigned short port = 0;
	int fd = bind_any(&port);

	if (fd >= 0)
		close(fd);
	return port;
}

struct lhttp_conn {
	int fd;
	SSL *ssl;
};

static ssize_t conn_read(struct lhttp_conn *c, void *buf, size_t n)
{
	if (c->ssl) {
		int k = SSL_read(c->ssl, buf, n > INT_MAX ? INT_MAX : (int)n);

		return k > 0 ? k : -1;
	}
	return read(c->fd, buf, n);
}

/* Read head and Content-Length body into s->req; the body is added to s->bodies. */
static void read_request(struct lhttp *s, struct lhttp_conn *c)
{
	size_t got = 0, want = 0;
	char *end = NULL;

	while (got < sizeof(s->req) - 1) {
		ssize_t n = conn_read(c, s->req + got, sizeof(s->req) - 1 - got);

		if (n <= 0)
			break;
		got += (size_t)n;
		s->req[got] = '\0';
		if (!end && (end = strstr(s->req, "\r\n\r\n"))) {
			const char *cl = strcasestr(s->req, "\r\nContent-Length:");

			want = (size_t)(end + 4 - s->req) + (cl ? strtoul(cl + 17, NULL, 10) : 0);
		}
		if (end && got >= want)
			break;
	}
	s->req[got] = '\0';
	s->req_len = got;
	if (end) {
		size_t n = got - (size_t)(end + 4 - s->req);

		if (s->bodies_len + n + 2 <= sizeof(s->bodies)) {
			memcpy(s->bodies + s->bodies_len, end + 4, n);
			s->bodies_len += n;
			s->bodies[s->bodies_len++] = '\n';
			s->bodies[s->bodies_len] = '\0';
		}
	}
}

static void *serve(void *data)
{
	struct lhttp *s = data;

	for (;;) {
		char head[256];
		int c = accept4(s->fd, NULL, NULL, SOCK_CLOEXEC), st;
		size_t i;

		if (c < 0)
			break;
		read_request(s, &(struct lhttp_conn){ .fd = c });
		if (s->silent) {
			s->n_requests++;
			if (s->n_held < sizeof(s->held) / sizeof(s->held[0]))
				s->held[s->n_held++] = c;
			else
				close(c);	/* too many: this one hears nothing either */
			continue;
		}
		if (s->delay_ms)
			usleep(s->delay_ms * 1000);
		i = s->n_requests < s->n_statuses ? s->n_requests : s->n_statuses - 1;
		st = s->statuses[i];
		s->n_requests++;
		snprintf(head, sizeof(head),
			 "HTTP/1.0 %d X\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n", st, strlen(s->body));
		if (write(c, head, strlen(head)) < 0 || write(c, s->body, strlen(s->body)) < 0)
			(void)0;
		close(c);
	}
	return NULL;
}

static int start(struct lhttp *s, const int *statuses, const char *body, bool silent)
{
	int fd;

	memset(s, 0, sizeof(*s));
	s->silent = silent;
	for (; *statuses && s->n_statuses < 8; statuses++)
		s->statuses[s->n_statuses++] = *statuses;
	if (!s->n_statuses)
		s->statuses[s->n_statuses++] = 200;
	s->body = body ? body : "";
	fd = bind_any(&s->port);
	if (fd < 0)
		return fd;
	if (listen(fd, 8) < 0) {
		close(fd);
		return -errno;
	}
	s->fd = fd;
	snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%u", s->port);
	if (pthread_create(&s->thread, NULL, serve, s) != 0) {
		close(fd);
		return -EAGAIN;
	}
	return 0;
}

int lhttp_start(struct lhttp *s, const int *statuses, const char *body)
{
	return start(s, statuses, body, false);
}

int lhttp_start_silent(struct lhttp *s)
{
	static const int none[] = { 0 };

	return start(s, none, NULL, true);
}

void lhttp_stop(struct lhttp *s)
{
	shutdown(s->fd, SHUT_RDWR);
	pthread_join(s->thread, NULL);
	close(s->fd);
	for (size_t i = 0; i < s->n_held; i++)
		close(s->held[i]);
	s->n_held = 0;
	tls_release(s);
}

/* --- scripted routes, plain or TLS ------------------------------------------------ */

/* Everything or -1; *done counts what the socket accepted. */
static int conn_write(struct lhttp_conn *c, const void *buf, size_t n, unsigned long long *done)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t k;

		if (c->ssl) {
			int w = SSL_write(c->ssl, p, n > INT_MAX ? INT_MAX : (int)n);

			k = w > 0 ? w : -1;
		} else {
			k = send(c->fd, p, n, MSG_NOSIGNAL);
		}
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
		if (done)
			*done += (unsigned long long)k;
	}
	return 0;
}

static struct lhttp_route *route_find(struct lhttp *s)
{
	const char *sp = strchr(s->req, ' '), *end;

	if (!sp)
		return NULL;
	sp++;
	end = strchr(sp, ' ');
	if (!end)
		return NULL;
	for (struct lhttp_route *r = s->routes; r->path; r++)
		if (strlen(r->path) == (size_t)(end - sp) &&
		    !strncmp(r->path, sp, (size_t)(end - sp)))
			return r;
	return NULL;
}

static void route_answer(struct lhttp_conn *c, struct lhttp_route *r)
{
	static const struct lhttp_route missing = { .status = 404, .body = "not found\n" };
	const struct lhttp_route *a = r ? r : &missing;
	const char *body = a->body ? a->body : "";
	size_t len = a->len ? a->len : strlen(body), off = 0;
	char head[1024], clen[64] = "";

	if (!a->no_length)
		snprintf(clen, sizeof(clen), "Content-Length: %zu\r\n",
			 a->declared ? a->declared : len);
	snprintf(head, sizeof(head), "HTTP/1.0 %d X\r\nContent-Type: application/octet-stream\r\n"
		 "%s%s%s%sConnection: close\r\n\r\n", a->status ? a->status : 200,
		 a->location ? "Location: " : "", a->location ? a->location : "",
		 a->location ? "\r\n" : "", clen);
	if (conn_write(c, head, strlen(head), NULL) < 0)
		return;
	while (off < len) {
		size_t n = a->chunk && a->chunk < len - off ? a->chunk : len - off;

		if (a->delay_ms) {
			struct timespec ts = { a->delay_ms / 1000,
					       (long)(a->delay_ms % 1000) * 1000000L };

			nanosleep(&ts, NULL);
		}
		if (conn_write(c, body + off, n, r ? &r->sent : NULL) < 0)
			return;
		off += n;
	}
}

static void *serve_routes(void *data)
{
	struct lhttp *s = data;

	for (;;) {
		struct lhttp_conn c = { .fd = accept4(s->fd, NULL, NULL, SOCK_CLOEXEC) };
		struct lhttp_route *r;

		if (c.fd < 0)
			break;
		if (s->tls) {
			c.ssl = SSL_new(s->tls);
			if (!c.ssl || !SSL_set_fd(c.ssl, c.fd) || SSL_accept(c.ssl) != 1) {
				SSL_free(c.ssl);
				close(c.fd);
				continue;
			}
		}
		read_request(s, &c);
		r = route_find(s);
		s->n_requests++;
		if (r)
			r->hits++;
		route_answer(&c, r);
		if (c.ssl) {
			SSL_shutdown(c.ssl);
			SSL_free(c.ssl);
		}
		close(c.fd);
	}
	return NULL;
}

/* A self-signed certificate for 127.0.0.1 (subjectAltName IP), valid for an hour. */
static int tls_setup(struct lhttp *s)
{
	EVP_PKEY *pk = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_EXTENSION *ext = NULL;
	X509V3_CTX v3;
	X509_NAME *nm;
	BIO *bio = NULL;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char *pem;
	long pem_len;
	int ret = -EIO;

	if (!pk || !x)
		goto out;
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, pk);
	nm = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC, (const unsigned char *)"127.0.0.1",
				   -1, -1, 0);
	X509_set_issuer_name(x, nm);
	X509V3_set_ctx_nodb(&v3);
	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, "IP:127.0.0.1");
	if (!ext || !X509_add_ext(x, ext, -1) || !X509_sign(x, pk, EVP_sha256()))
		goto out;
	s->tls = SSL_CTX_new(TLS_server_method());
	if (!s->tls || SSL_CTX_use_certificate(s->tls, x) != 1 ||
	    SSL_CTX_use_PrivateKey(s->tls, pk) != 1)
		goto out;
	bio = BIO_new(BIO_s_mem());
	if (!bio || !PEM_write_bio_X509(bio, x))
		goto out;
	pem_len = BIO_get_mem_data(bio, &pem);
	s->cert_pem = strndup(pem, (size_t)pem_len);
	if (!s->cert_pem || !X509_digest(x, EVP_sha256(), md, &mdlen))
		goto out;
	for (unsigned int i = 0; i < mdlen; i++)
		snprintf(s->fingerprint + 3 * i, 4, "%02X%s", md[i], i + 1 < mdlen ? ":" : "");
	ret = 0;
out:
	BIO_free(bio);
	X509_EXTENSION_free(ext);
	X509_free(x);
	EVP_PKEY_free(pk);
	return ret;
}

static void tls_release(struct lhttp *s)
{
	SSL_CTX_free(s->tls);
	s->tls = NULL;
	free(s->cert_pem);
	s->cert_pem = NULL;
}

int lhttp_start_routes(struct lhttp *s, struct lhttp_route *routes, bool tls)
{
	int fd, ret;

	memset(s, 0, sizeof(*s));
	s->routes = routes;
	/* a client that hangs up mid-body must not kill the test */
	signal(SIGPIPE, SIG_IGN);
	if (tls) {
		ret = tls_setup(s);
		if (ret < 0) {
			tls_release(s);
			return ret;
		}
	}
	fd = bind_any(&s->port);
	if (fd < 0 || listen(fd, 8) < 0) {
		ret = fd < 0 ? fd : -errno;
		if (fd >= 0)
			close(fd);
		tls_release(s);
		return ret;
	}
	s->fd = fd;
	snprintf(s->url, sizeof(s->url), "%s://127.0.0.1:%u", tls ? "https" : "http", s->port);
	if (pthread_create(&s->thread, NULL, serve_routes, s) != 0) {
		close(fd);
		tls_release(s);
		return -EAGAIN;
	}
	return 0;
}
