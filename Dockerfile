# docksec in a container: built on Debian 12, run as a non-root user in a
# slim image holding the binary and its shared libraries only.
#
#   docker build -t docksec .
#   docker run --rm -v "$PWD:/src:ro" -w /src docksec lint .
#
# The package versions are Debian 12's at the time of writing; pin the
# base images by digest where you build (docker buildx imagetools inspect
# debian:12-slim prints it) - docksec cannot know yours.
# docksec global ignore=DF-FROM-DIGEST
FROM debian:12-slim AS build
SHELL ["/bin/bash", "-eo", "pipefail", "-c"]
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential=12.9 pkg-config=1.8.1-1 \
      libjansson-dev=2.14-2 libyaml-dev=0.2.5-1 zlib1g-dev=1:1.2.13.dfsg-1 \
      libcurl4-openssl-dev=7.88.1-10+deb12u15 libarchive-dev=3.6.2-1+deb12u5 libssl-dev=3.0.19-1~deb12u2 libsqlite3-dev=3.40.1-2+deb12u2 \
      libhyperscan-dev=5.4.0-2 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Makefile ./
COPY src ./src
COPY docs/docksec.1 ./docs/
RUN make build/docksec

FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libjansson4=2.14-2 libyaml-0-2=0.2.5-1 zlib1g=1:1.2.13.dfsg-1 \
      libcurl4=7.88.1-10+deb12u15 libarchive13=3.6.2-1+deb12u5 libssl3=3.0.19-1~deb12u2 libsqlite3-0=3.40.1-2+deb12u2 libhyperscan5=5.4.0-2 ca-certificates=20230311+deb12u1 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin docksec \
 && usermod -s /usr/sbin/nologin root
COPY --from=build /src/build/docksec /usr/local/bin/docksec
COPY --from=build /src/docs/docksec.1 /usr/local/share/man/man1/docksec.1
USER 10001:10001
HEALTHCHECK CMD ["docksec", "--version"]
ENTRYPOINT ["docksec"]
CMD ["--help"]
