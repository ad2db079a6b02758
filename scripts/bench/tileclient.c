/* The benchmark's tile client: fetches a list of tiles over keep-alive HTTP
 * connections, or the same tiles from PostgreSQL with one prepared query,
 * and prints one JSON line: tiles/s, latency per zoom, bytes, statuses and
 * the client's own CPU time (user + system, all threads).
 *
 * Written in C because the Node client it replaces spent 0.3–0.4 ms of CPU
 * per tile, a third of this 2-core machine at two connections, which was
 * part of what the cold-tile comparison measured (issue 11 §3). bench.py
 * compiles it (cc -O2 … -lpq -lpthread) into build-bench/; without libpq's
 * headers, with -DTILECLIENT_NO_PG (HTTP only).
 *
 *   tileclient http HOST PORT LIST CONNECTIONS [options]
 *       --prefix /tiles/ --suffix .mvt   request GET PREFIX z/x/y SUFFIX
 *       --encoding gzip|identity|…       sent as Accept-Encoding (identity: none sent)
 *   tileclient pg CONNINFO LIST CONNECTIONS SQL [options]
 *       SQL takes $1, $2, $3 = z, x, y and returns one bytea (binary result format)
 *   common options:
 *       --repeat R        fetch the list R times (default 1)
 *       --seconds S       stop after S seconds (default: no limit)
 *
 * Each connection has its own thread and takes the next tile from a shared
 * counter, so every tile of the list is fetched once per pass whatever the
 * number of connections. Only HTTP/1.1 with Content-Length (or no body:
 * 204/304) is understood: enough for regiomap and nginx.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef TILECLIENT_NO_PG
#include <libpq-fe.h>
#endif

struct tile {
    int z;
    unsigned x, y;
};

struct sample {
    int z;
    int status;
    double ms;
    size_t bytes;
};

struct options {
    const char *mode;
    const char *host;
    int port;
    const char *conninfo;
    const char *sql;
    const char *prefix;
    const char *suffix;
    const char *encoding;
    int connections;
    int repeat;
    double seconds;
};

static struct options opt;
static struct tile *tiles;
static size_t tile_count;
static size_t jobs;
static atomic_size_t next_job;
static double deadline_ms;

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void die(const char *what, const char *detail) {
    fprintf(stderr, "tileclient: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

static void read_tiles(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) die("cannot open the tile list", path);
    size_t capacity = 1024;
    tiles = malloc(capacity * sizeof *tiles);
    struct tile t;
    while (fscanf(f, " %d/%u/%u", &t.z, &t.x, &t.y) == 3) {
        if (tile_count == capacity) {
            capacity *= 2;
            tiles = realloc(tiles, capacity * sizeof *tiles);
        }
        tiles[tile_count++] = t;
    }
    fclose(f);
    if (tile_count == 0) die("no tiles in", path);
}

/* Takes the next job, or -1 when the list (times repeat) is done or time is up. */
static long take_job(void) {
    if (deadline_ms > 0 && now_ms() > deadline_ms) return -1;
    size_t i = atomic_fetch_add(&next_job, 1);
    return i < jobs ? (long)i : -1;
}

struct worker {
    pthread_t thread;
    struct sample *samples;
    size_t count;
    size_t capacity;
    const char *error;
};

static void record(struct worker *w, int z, int status, double ms, size_t bytes) {
    if (w->count == w->capacity) {
        w->capacity = w->capacity ? 2 * w->capacity : 4096;
        w->samples = realloc(w->samples, w->capacity * sizeof *w->samples);
    }
    w->samples[w->count++] = (struct sample){z, status, ms, bytes};
}

/* --- HTTP ---------------------------------------------------------------- */

static int connect_to(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)opt.port)};
    if (inet_pton(AF_INET, opt.host, &a.sin_addr) != 1) die("not an IPv4 address", opt.host);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static int send_all(int fd, const char *p, size_t n) {
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k <= 0) {
            if (k < 0 && errno == EINTR) continue;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* The value of a header in a head (names case-insensitive), or NULL. */
static const char *header_value(const char *head, size_t head_len, const char *name) {
    size_t name_len = strlen(name);
    const char *p = memchr(head, '\n', head_len);
    const char *end = head + head_len;
    while (p && p + 1 < end) {
        p++;
        if ((size_t)(end - p) > name_len && strncasecmp(p, name, name_len) == 0 && p[name_len] == ':') {
            p += name_len + 1;
            while (*p == ' ' || *p == '\t') p++;
            return p;
        }
        p = memchr(p, '\n', (size_t)(end - p));
    }
    return NULL;
}

static void *http_worker(void *arg) {
    struct worker *w = arg;
    size_t cap = 1 << 20;
    char *buf = malloc(cap);
    size_t have = 0; /* bytes in buf not yet consumed */
    int fd = -1;
    char request[1024];
    long job;
    while ((job = take_job()) >= 0) {
        const struct tile *t = &tiles[(size_t)job % tile_count];
        int n;
        if (strcmp(opt.encoding, "identity") == 0) {
            n = snprintf(request, sizeof request, "GET %s%d/%u/%u%s HTTP/1.1\r\nHost: %s\r\n\r\n", opt.prefix,
                         t->z, t->x, t->y, opt.suffix, opt.host);
        } else {
            n = snprintf(request, sizeof request,
                         "GET %s%d/%u/%u%s HTTP/1.1\r\nHost: %s\r\nAccept-Encoding: %s\r\n\r\n", opt.prefix, t->z,
                         t->x, t->y, opt.suffix, opt.host, opt.encoding);
        }
        double start = now_ms();
        int attempts = 0;
    again:
        if (fd < 0) {
            fd = connect_to();
            have = 0;
            if (fd < 0) {
                w->error = "connect failed";
                break;
            }
        }
        if (send_all(fd, request, (size_t)n) != 0) {
            close(fd);
            fd = -1;
            if (++attempts < 2) goto again;
            w->error = "send failed";
            break;
        }
        /* the head */
        size_t head_len = 0;
        for (;;) {
            char *end = have >= 4 ? memmem(buf, have, "\r\n\r\n", 4) : NULL;
            if (end) {
                head_len = (size_t)(end - buf) + 4;
                break;
            }
            if (have == cap) die("response head too large", NULL);
            ssize_t k = recv(fd, buf + have, cap - have, 0);
            if (k <= 0) {
                if (k < 0 && errno == EINTR) continue;
                break;
            }
            have += (size_t)k;
        }
        if (head_len == 0) { /* closed before a response: retry once on a new connection */
            close(fd);
            fd = -1;
            if (have == 0 && ++attempts < 2) goto again;
            w->error = "connection closed before a response";
            break;
        }
        int status = 0;
        if (sscanf(buf, "HTTP/%*d.%*d %d", &status) != 1) die("not an HTTP response", NULL);
        size_t body = 0;
        const char *length = header_value(buf, head_len, "content-length");
        if (length) {
            body = strtoull(length, NULL, 10);
        } else if (status != 204 && status != 304) {
            die("a response without Content-Length", NULL);
        }
        int closing = 0;
        const char *connection = header_value(buf, head_len, "connection");
        if (connection && strncasecmp(connection, "close", 5) == 0) closing = 1;
        /* the body: read and dropped */
        size_t total = head_len + body;
        int short_read = 0;
        if (total > cap) { /* larger than the buffer: read the rest and drop it as it comes */
            size_t remaining = total - have;
            have = 0;
            total = 0;
            while (remaining) {
                ssize_t k = recv(fd, buf, remaining < cap ? remaining : cap, 0);
                if (k <= 0) {
                    if (k < 0 && errno == EINTR) continue;
                    short_read = 1;
                    break;
                }
                remaining -= (size_t)k;
            }
        }
        while (!short_read && have < total) {
            ssize_t k = recv(fd, buf + have, cap - have, 0);
            if (k <= 0) {
                if (k < 0 && errno == EINTR) continue;
                short_read = 1;
                break;
            }
            have += (size_t)k;
        }
        if (short_read) {
            w->error = "connection closed in a response body";
            break;
        }
        record(w, t->z, status, now_ms() - start, body);
        memmove(buf, buf + total, have - total);
        have -= total;
        if (closing) {
            close(fd);
            fd = -1;
        }
    }
    if (fd >= 0) close(fd);
    free(buf);
    return NULL;
}

/* --- PostgreSQL ---------------------------------------------------------- */

#ifdef TILECLIENT_NO_PG
static void *pg_worker(void *arg) {
    (void)arg;
    die("built without libpq (TILECLIENT_NO_PG)", NULL);
    return NULL;
}
#else
static void *pg_worker(void *arg) {
    struct worker *w = arg;
    PGconn *conn = PQconnectdb(opt.conninfo);
    if (PQstatus(conn) != CONNECTION_OK) die("PostgreSQL connection failed", PQerrorMessage(conn));
    PGresult *r = PQprepare(conn, "tile", opt.sql, 3, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) die("prepare failed", PQerrorMessage(conn));
    PQclear(r);
    long job;
    while ((job = take_job()) >= 0) {
        const struct tile *t = &tiles[(size_t)job % tile_count];
        char z[16], x[16], y[16];
        snprintf(z, sizeof z, "%d", t->z);
        snprintf(x, sizeof x, "%u", t->x);
        snprintf(y, sizeof y, "%u", t->y);
        const char *values[3] = {z, x, y};
        double start = now_ms();
        r = PQexecPrepared(conn, "tile", 3, values, NULL, NULL, 1);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) die("query failed", PQerrorMessage(conn));
        size_t bytes = PQntuples(r) > 0 ? (size_t)PQgetlength(r, 0, 0) : 0;
        record(w, t->z, bytes ? 200 : 204, now_ms() - start, bytes);
        PQclear(r);
    }
    PQfinish(conn);
    return NULL;
}
#endif

/* --- the summary ----------------------------------------------------------- */

static int by_ms(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double percentile(const double *sorted, size_t n, double q) {
    if (n == 0) return 0;
    long rank = (long)(q * (double)n + 0.999999999) - 1; /* ceil(q n) - 1, as client.mjs */
    if (rank < 0) rank = 0;
    if ((size_t)rank >= n) rank = (long)n - 1;
    return sorted[rank];
}

static void print_stats(const double *values, size_t n) {
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += values[i];
    printf("{\"n\":%zu,\"mean\":%.4f,\"p50\":%.4f,\"p99\":%.4f,\"max\":%.4f", n, n ? sum / (double)n : 0,
           percentile(values, n, 0.5), percentile(values, n, 0.99), n ? values[n - 1] : 0);
}

static void usage(void) {
    fprintf(stderr,
            "usage: tileclient http HOST PORT LIST CONNECTIONS [--prefix P] [--suffix S] [--encoding E]\n"
            "                  [--repeat R] [--seconds S]\n"
            "       tileclient pg CONNINFO LIST CONNECTIONS SQL [--repeat R] [--seconds S]\n");
    exit(2);
}

int main(int argc, char **argv) {
    opt = (struct options){.prefix = "/tiles/", .suffix = ".mvt", .encoding = "identity", .repeat = 1};
    if (argc < 2) usage();
    opt.mode = argv[1];
    int i;
    const char *list;
    if (strcmp(opt.mode, "http") == 0 && argc >= 6) {
        opt.host = argv[2];
        opt.port = atoi(argv[3]);
        list = argv[4];
        opt.connections = atoi(argv[5]);
        i = 6;
    } else if (strcmp(opt.mode, "pg") == 0 && argc >= 6) {
        opt.conninfo = argv[2];
        list = argv[3];
        opt.connections = atoi(argv[4]);
        opt.sql = argv[5];
        i = 6;
    } else {
        usage();
    }
    for (; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--prefix") == 0) opt.prefix = argv[i + 1];
        else if (strcmp(argv[i], "--suffix") == 0) opt.suffix = argv[i + 1];
        else if (strcmp(argv[i], "--encoding") == 0) opt.encoding = argv[i + 1];
        else if (strcmp(argv[i], "--repeat") == 0) opt.repeat = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--seconds") == 0) opt.seconds = atof(argv[i + 1]);
        else usage();
    }
    if (i != argc || opt.connections < 1 || opt.repeat < 1) usage();
    read_tiles(list);
    jobs = tile_count * (size_t)opt.repeat;

    struct worker *workers = calloc((size_t)opt.connections, sizeof *workers);
    struct rusage before, after;
    getrusage(RUSAGE_SELF, &before);
    double t0 = now_ms();
    if (opt.seconds > 0) deadline_ms = t0 + opt.seconds * 1e3;
    for (int c = 0; c < opt.connections; c++) {
        pthread_create(&workers[c].thread, NULL, strcmp(opt.mode, "pg") == 0 ? pg_worker : http_worker,
                       &workers[c]);
    }
    for (int c = 0; c < opt.connections; c++) pthread_join(workers[c].thread, NULL);
    double seconds = (now_ms() - t0) / 1e3;
    getrusage(RUSAGE_SELF, &after);
    for (int c = 0; c < opt.connections; c++) {
        if (workers[c].error) die(workers[c].error, NULL);
    }

    size_t n = 0;
    for (int c = 0; c < opt.connections; c++) n += workers[c].count;
    struct sample *all = malloc((n ? n : 1) * sizeof *all);
    double *ms = malloc((n ? n : 1) * sizeof *ms);
    size_t k = 0, bytes = 0;
    for (int c = 0; c < opt.connections; c++) {
        memcpy(all + k, workers[c].samples, workers[c].count * sizeof *all);
        k += workers[c].count;
    }
    for (size_t j = 0; j < n; j++) {
        ms[j] = all[j].ms;
        bytes += all[j].bytes;
    }
    qsort(ms, n, sizeof *ms, by_ms);
    double user = (after.ru_utime.tv_sec - before.ru_utime.tv_sec) + (after.ru_utime.tv_usec - before.ru_utime.tv_usec) / 1e6;
    double sys = (after.ru_stime.tv_sec - before.ru_stime.tv_sec) + (after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e6;

    printf("{\"tiles\":%zu,\"seconds\":%.6f,\"tiles_per_s\":%.3f,\"bytes\":%zu,\"cpu_user_s\":%.6f,"
           "\"cpu_sys_s\":%.6f,\"latency_ms\":",
           n, seconds, n / seconds, bytes, user, sys);
    print_stats(ms, n);
    printf("},\"statuses\":{");
    int statuses[600] = {0};
    for (size_t j = 0; j < n; j++) {
        if (all[j].status > 0 && all[j].status < 600) statuses[all[j].status]++;
    }
    const char *sep = "";
    for (int s = 0; s < 600; s++) {
        if (statuses[s]) {
            printf("%s\"%d\":%d", sep, s, statuses[s]);
            sep = ",";
        }
    }
    printf("},\"per_zoom\":{");
    sep = "";
    for (int z = 0; z <= 30; z++) {
        size_t m = 0, zbytes = 0;
        for (size_t j = 0; j < n; j++) {
            if (all[j].z == z) {
                ms[m++] = all[j].ms;
                zbytes += all[j].bytes;
            }
        }
        if (!m) continue;
        qsort(ms, m, sizeof *ms, by_ms);
        printf("%s\"%d\":", sep, z);
        print_stats(ms, m);
        printf(",\"bytes_mean\":%.1f}", (double)zbytes / (double)m);
        sep = ",";
    }
    printf("}}\n");
    return 0;
}
