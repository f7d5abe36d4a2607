#!/usr/bin/env bash
# docker/healthcheck.sh - the container's HEALTHCHECK without curl: bash's /dev/tcp sends
# GET /_awsemu/health to the local awsemu and succeeds on a 200 status line.
#   AWSEMU_PORT   port awsemu listens on (default 4566)
set -u
exec 3<>"/dev/tcp/127.0.0.1/${AWSEMU_PORT:-4566}" || exit 1
printf 'GET /_awsemu/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
IFS=' ' read -r -t 2 _ status _ <&3 || exit 1
[ "$status" = "200" ]
