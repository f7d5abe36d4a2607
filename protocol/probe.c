/* probe.c - `awsemu --healthcheck`: asks a running awsemu for GET /_awsemu/health
 * over loopback and exits 0 on a 200, so container images need no curl. */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "http.h"

int http_probe_health(const char *host, int port)
{
    /* A wildcard listen address is reached through loopback. */
    if (strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0 || *host == '\0')
        host = "127.0.0.1";
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai;
    char portstr[16];
    snprintf(portstr, sizeof(portstr), "%d", port);
    if (getaddrinfo(host, portstr, &hints, &ai) != 0)
        return 1;
    int fd = socket(ai->ai_family, SOCK_STREAM, 0);
    struct timeval tv = {2, 0};
    int ok = fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0 &&
             setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) == 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) == 0;
    freeaddrinfo(ai);
    char buf[64] = "";
    if (ok) {
        static const char req[] = "GET /_awsemu/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        ok = send(fd, req, sizeof(req) - 1, 0) == (ssize_t)(sizeof(req) - 1) && recv(fd, buf, sizeof(buf) - 1, 0) > 12;
    }
    if (fd >= 0)
        close(fd);
    return ok && strncmp(buf, "HTTP/1.1 200", 12) == 0 ? 0 : 1;
}
