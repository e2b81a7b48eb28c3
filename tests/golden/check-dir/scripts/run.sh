#!/bin/sh
docker run --rm --privileged alpine:3 true
