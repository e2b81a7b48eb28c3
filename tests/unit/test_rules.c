/*
 * test_rules.c - every Dockerfile rule, with positive and negative cases.
 *
 * Each case is (rule, Dockerfile, how many findings of that rule). A final
 * test proves the table is complete: every rule in df_rules has at least
 * one case where it fires and one where it must not.
 */
#include "unit.h"

struct rcase {
	const char *rule;
	const char *df;
	size_t want;
};

#define D "FROM alpine:3.20@sha256:0000000000000000000000000000000000000000000000000000000000000000\n"

static const struct rcase cases[] = {
	{"DF-USER-ROOT", D "USER root\n", 1},
	{"DF-USER-ROOT", D "USER 0\n", 1},
	{"DF-USER-ROOT", D "USER 0:0\n", 1},
	{"DF-USER-ROOT", D "USER root:wheel\n", 1},
	{"DF-USER-ROOT", D "ARG U=root\nUSER $U\n", 1},
	{"DF-USER-ROOT", D "USER root\nUSER app\n", 0},
	{"DF-USER-ROOT", D "USER 1000\n", 0},
	{"DF-USER-ROOT", D "USER ${UNKNOWN}\n", 0},
	{"DF-USER-ROOT", "FROM a:1 AS b\nUSER root\nFROM c:1\nUSER app\n", 0},
	{"DF-USER-ROOT", "FROM a:1 AS b\nUSER root\nFROM b\nRUN x\n", 1},
	{"DF-USER-MISSING", D "RUN true\n", 1},
	{"DF-USER-MISSING", D "USER app\n", 0},
	{"DF-USER-MISSING", "FROM gcr.io/distroless/static:nonroot\n", 0},
	{"DF-USER-MISSING", "FROM a:1 AS b\nUSER app\nFROM b\n", 0},
	{"DF-FROM-UNTAGGED", "FROM ubuntu\n", 1},
	{"DF-FROM-UNTAGGED", "FROM ubuntu:22.04\n", 0},
	{"DF-FROM-UNTAGGED", "FROM ubuntu@sha256:abc\n", 0},
	{"DF-FROM-UNTAGGED", "FROM scratch\n", 0},
	{"DF-FROM-UNTAGGED", "FROM localhost:5000/app\n", 1},
	{"DF-FROM-UNTAGGED", "FROM a:1 AS b\nFROM b\n", 0},
	{"DF-FROM-LATEST", "FROM ubuntu:latest\n", 1},
	{"DF-FROM-LATEST", "ARG T=latest\nFROM node:${T}\n", 1},
	{"DF-FROM-LATEST", "ARG T=20\nFROM node:${T}\n", 0},
	{"DF-FROM-LATEST", "FROM ubuntu:latest@sha256:abc\n", 0},
	{"DF-FROM-DIGEST", "FROM ubuntu:22.04\n", 1},
	{"DF-FROM-DIGEST", "FROM ubuntu:22.04@sha256:abc\n", 0},
	{"DF-FROM-UNTRUSTED-REGISTRY", "FROM ubuntu:22.04\n", 0}, /* no list configured */
	{"DF-FROM-PLATFORM", "FROM --platform=linux/amd64 a:1\n", 1},
	{"DF-FROM-PLATFORM", "FROM --platform=$BUILDPLATFORM a:1\n", 0},
	{"DF-APT-PIN", D "RUN apt-get install -y curl git=1:2.39\n", 1},
	{"DF-APT-PIN", D "RUN apt-get install -y curl=7.88 ./local.deb $PKGS\n", 0},
	{"DF-APT-PIN", D "RUN apt-get -o Dpkg::Options::=--force-confnew install -y a=1\n", 0},
	{"DF-APT-NO-YES", D "RUN apt-get install curl\n", 1},
	{"DF-APT-NO-YES", D "RUN apt-get -qy install curl\n", 0},
	{"DF-APT-NO-YES", D "RUN apt-get install --yes curl\n", 0},
	{"DF-APT-NO-YES", D "RUN sudo apt-get install -qq curl\n", 0},
	{"DF-APT-RECOMMENDS", D "RUN apt-get install -y curl\n", 1},
	{"DF-APT-RECOMMENDS", D "RUN apt-get install -y --no-install-recommends curl\n", 0},
	{"DF-APT-LISTS", D "RUN apt-get update && apt-get install -y curl\n", 1},
	{"DF-APT-LISTS", D "RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n", 0},
	{"DF-APT-LISTS", D "RUN --mount=type=cache,target=/var/lib/apt apt-get install -y curl\n", 0},
	{"DF-APT-LISTS", "FROM a:1 AS build\nRUN apt-get install -y gcc\nFROM b:1\n", 0},
	{"DF-APT-USE-APT-GET", D "RUN apt install -y curl\n", 1},
	{"DF-APT-USE-APT-GET", D "RUN apt-get install -y curl\n", 0},
	{"DF-UPDATE-ALONE", D "RUN apt-get update\n", 1},
	{"DF-UPDATE-ALONE", D "RUN apk update\n", 1},
	{"DF-UPDATE-ALONE", D "RUN apt-get update && apt-get install -y x\n", 0},
	{"DF-UPDATE-ALONE", D "RUN yum update -y openssl\n", 0},
	{"DF-PKG-UPGRADE", D "RUN apt-get dist-upgrade -y\n", 1},
	{"DF-PKG-UPGRADE", D "RUN yum update -y\n", 1},
	{"DF-PKG-UPGRADE", D "RUN apk upgrade\n", 1},
	{"DF-PKG-UPGRADE", D "RUN yum update -y openssl\n", 0},
	{"DF-APK-PIN", D "RUN apk add --no-cache curl bash=5.2\n", 1},
	{"DF-APK-PIN", D "RUN apk add --no-cache --virtual .deps curl=8.5\n", 0},
	{"DF-APK-NO-CACHE", D "RUN apk add curl\n", 1},
	{"DF-APK-NO-CACHE", D "RUN apk add --no-cache curl\n", 0},
	{"DF-APK-NO-CACHE", D "RUN apk add curl && rm -rf /var/cache/apk/*\n", 0},
	{"DF-YUM-NO-YES", D "RUN yum install httpd\n", 1},
	{"DF-YUM-NO-YES", D "RUN yum install -y httpd\n", 0},
	{"DF-YUM-CLEAN", D "RUN yum install -y httpd\n", 1},
	{"DF-YUM-CLEAN", D "RUN yum install -y httpd && yum clean all\n", 0},
	{"DF-YUM-PIN", D "RUN yum install -y httpd\n", 1},
	{"DF-YUM-PIN", D "RUN yum install -y httpd-2.4.6\n", 0},
	{"DF-DNF-NO-YES", D "RUN dnf install httpd\n", 1},
	{"DF-DNF-NO-YES", D "RUN dnf -y install httpd\n", 0},
	/* microdnf on EL9 (dnf5) asks too */
	{"DF-DNF-NO-YES", D "RUN microdnf install httpd\n", 1},
	{"DF-DNF-NO-YES", D "RUN microdnf install -y httpd\n", 0},
	/* the peers' cases (issue 10): aliases, option arguments, order, quotes */
	{"DF-DNF-CLEAN", D "RUN dnf in -y httpd-2 && dnf clean all\n", 0},
	{"DF-DNF-CLEAN", D "RUN dnf clean all && dnf install -y httpd-2\n", 1},
	{"DF-DNF-CLEAN", D "RUN dnf upgrade -y && dnf clean all\n", 0},
	{"DF-DNF-CLEAN", D "RUN dnf upgrade -y\n", 1},
	{"DF-DNF-CLEAN", D "RUN --mount=type=tmpfs,target=/var/cache/dnf dnf install -y httpd-2\n", 0},
	{"DF-DNF-PIN", D "RUN dnf module install -y nodejs\n", 1},
	{"DF-DNF-PIN", D "RUN dnf module install -y nodejs:18\n", 0},
	{"DF-ZYPPER-NO-YES", D "RUN zypper install -y httpd-2 && zypper clean\n", 0},
	{"DF-APT-NO-YES", D "RUN apt-get -q -q install curl=1\n", 0},
	{"DF-APT-NO-YES", D "RUN apt-get -q=2 install curl=1\n", 0},
	{"DF-APT-NO-YES", D "RUN apt-get -q install curl=1\n", 1},
	{"DF-PIP-PIN", D "RUN pip install git+https://github.com/a/b.git#egg=b\n", 1},
	{"DF-PIP-PIN", D "RUN pip install git+https://github.com/a/b.git@v1.2#egg=b\n", 0},
	{"DF-PIP-PIN", D "RUN pip install --root-user-action ignore flask==2\n", 0},
	{"DF-PIP-PIN", D "RUN pip install -c constraints.txt flask\n", 0},
	{"DF-PIP-PIN", D "RUN pipx install black\n", 1},
	{"DF-PIP-CACHE", D "RUN pipenv install black\n", 0},
	{"DF-PIP-CACHE", D "RUN export PIP_NO_CACHE_DIR=1 && pip install flask==2\n", 0},
	{"DF-PIP-CACHE", D "RUN export PIP_NO_CACHE_DIR=0 && pip install flask==2\n", 0}, /* pip: any value disables */
	{"DF-PIP-CACHE", D "RUN export PIP_NO_CACHE_DIR= && pip install flask==2\n", 1},
	{"DF-NPM-PIN", D "RUN npm install --loglevel verbose sax@0.1.1\n", 0},
	{"DF-NPM-PIN", D "RUN npm install ./pkg.tgz ~/dir\n", 0},
	{"DF-NPM-PIN", D "RUN npm install git+ssh://git@github.com/a/b.git\n", 1},
	{"DF-NPM-PIN", D "RUN npm install git+ssh://git@github.com/a/b.git#v1.0.0\n", 0},
	{"DF-GEM-PIN", D "RUN gem i rails\n", 1},
	{"DF-GEM-PIN", D "RUN gem install bundler:2.0.1 -- --use-system-libraries true\n", 0},
	{"DF-GO-PIN", D "RUN go install ./cmd/app\n", 0},
	{"DF-GO-PIN", D "RUN go get example.com/mod\n", 1},
	{"DF-GO-PIN", D "RUN go run example.com/tool@latest arg\n", 1},
	{"DF-GO-PIN", D "RUN go run example.com/tool@v1.2.3 arg\n", 0},
	{"DF-YARN-CACHE", D "RUN --mount=type=cache,target=/var/lib/foobar yarn install\n", 1},
	{"DF-YARN-CACHE", D "RUN yarn cache clean && yarn install\n", 1},
	{"DF-ADD-REMOTE", D "ADD \"http://example.com/f\" /d\n", 1},
	{"DF-ADD-INSTEAD-OF-COPY", D "ADD \"file.tgz\" /d/\n", 0},
	{"DF-COPY-RELATIVE", D "COPY a \"/usr/local/bin/b\"\n", 0},
	{"DF-PIPEFAIL", D "SHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN a | b\n", 0},
	{"DF-PIPEFAIL", D "SHELL [\"/bin/bash\", \"-euo\", \"pipefail\", \"-c\"]\nRUN a | b\n", 0},
	{"DF-ENV-SELF-REFERENCE", D "ENV BLA=a BLUBB=\"${BLAFOO}/b\"\n", 0},
	{"DF-ENV-SELF-REFERENCE", D "ENV BLA=a BLUBB=\"${BLA}/b\"\n", 1},
	{"DF-WGET-AND-CURL", "FROM debian:12 AS a\nRUN curl -o x y\n" D "RUN wget z\n", 0},
	{"DF-WGET-AND-CURL", "FROM debian:12 AS a\nRUN curl -o x y\nRUN wget z\n" D "RUN wget z\n", 1},
	{"DF-FROM-UNTAGGED", "ARG REGISTRY\nFROM ${REGISTRY}/ubuntu\n", 1},
	{"DF-FROM-UNTAGGED", "FROM alpine$TAG\n", 1},
	{"DF-FROM-UNTAGGED", "ARG TAG\nFROM alpine$TAG\n", 0},
	{"DF-SECRET-ARG", D "ARG ARTIFACTORY_PSW\n", 1},
	{"DF-SECRET-ARG", D "ARG public_token\n", 0},
	{"DF-COPY-MULTI-DEST", D "# hadolint ignore=DL3023, DL3021\nCOPY a b c\n", 0},
	{"DF-EXPOSE-RANGE", "# hadolint stage ignore=DL3011\nFROM ubuntu:24.04\nEXPOSE 80000\n", 0},
	{"DF-COPY-MULTI-DEST", "# hadolint global ignore = DL3023 , DL3021\n" D "COPY a b c\n", 0},
	{"DF-DNF-CLEAN", D "RUN dnf install -y httpd\n", 1},
	{"DF-DNF-CLEAN", D "RUN dnf install -y httpd && dnf clean all\n", 0},
	{"DF-DNF-PIN", D "RUN dnf install -y python3-pip\n", 1},
	{"DF-DNF-PIN", D "RUN dnf install -y python3-pip-21.3\n", 0},
	{"DF-ZYPPER-NO-YES", D "RUN zypper install httpd\n", 1},
	{"DF-ZYPPER-NO-YES", D "RUN zypper -n install httpd\n", 0},
	{"DF-ZYPPER-CLEAN", D "RUN zypper -n in httpd\n", 1},
	{"DF-ZYPPER-CLEAN", D "RUN zypper -n in httpd && zypper clean -a\n", 0},
	{"DF-ZYPPER-PIN", D "RUN zypper -n install httpd\n", 1},
	{"DF-ZYPPER-PIN", D "RUN zypper -n install httpd=2.4\n", 0},
	{"DF-PIP-PIN", D "RUN pip install flask\n", 1},
	{"DF-PIP-PIN", D "RUN python3 -m pip install flask requests==2\n", 1},
	{"DF-PIP-PIN", D "RUN pip install -r requirements.txt flask==3 ./pkg .\n", 0},
	{"DF-PIP-CACHE", D "RUN pip install flask==3\n", 1},
	{"DF-PIP-CACHE", D "RUN pip install --no-cache-dir flask==3\n", 0},
	{"DF-PIP-CACHE", D "ENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3\n", 0},
	{"DF-NPM-PIN", D "RUN npm install -g express\n", 1},
	{"DF-NPM-PIN", D "RUN npm install -g express@4.19.2 @scope/pkg@1.0.0\n", 0},
	{"DF-NPM-PIN", D "RUN npm ci\n", 0},
	{"DF-GEM-PIN", D "RUN gem install rake\n", 1},
	{"DF-GEM-PIN", D "RUN gem install rake:13.0 && gem install bundler -v 2.5\n", 0},
	{"DF-GO-PIN", D "RUN go install example.com/x@latest\n", 1},
	{"DF-GO-PIN", D "RUN go install example.com/x@v1.2.3\n", 0},
	{"DF-YARN-CACHE", D "RUN yarn install\n", 1},
	{"DF-YARN-CACHE", D "RUN yarn install && yarn cache clean\n", 0},
	{"DF-ADD-INSTEAD-OF-COPY", D "ADD app.py /app/\n", 1},
	{"DF-ADD-INSTEAD-OF-COPY", D "ADD rootfs.tar.gz /\n", 0},
	{"DF-ADD-INSTEAD-OF-COPY", D "COPY app.py /app/\n", 0},
	{"DF-ADD-REMOTE", D "ADD https://x/a.bin /a\n", 1},
	{"DF-ADD-REMOTE", D "ADD --checksum=sha256:abc https://x/a.bin /a\n", 0},
	{"DF-CURL-PIPE-SHELL", D "RUN curl -fsSL https://x | sh\n", 1},
	{"DF-CURL-PIPE-SHELL", D "RUN wget -qO- https://x | sudo bash -s\n", 1},
	{"DF-CURL-PIPE-SHELL", D "RUN curl -s https://x | python3 -\n", 1},
	{"DF-CURL-PIPE-SHELL", D "RUN sh -c \"$(curl -fsSL https://x)\"\n", 1},
	{"DF-CURL-PIPE-SHELL", D "RUN bash <(curl -s https://x)\n", 1},
	{"DF-CURL-PIPE-SHELL", D "RUN [\"sh\", \"-c\", \"curl x | sh\"]\n", 1},
	{"DF-CURL-PIPE-SHELL", D "RUN curl -fsSL https://x/key | gpg --dearmor -o /k.gpg\n", 0},
	{"DF-CURL-PIPE-SHELL", D "RUN curl -fsSL https://x/a.tgz | tar xz\n", 0},
	{"DF-PIPEFAIL", D "RUN curl x | tar xz\n", 1},
	{"DF-PIPEFAIL", D "RUN set -o pipefail && curl x | tar xz\n", 0},
	{"DF-PIPEFAIL", D "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl x | tar xz\n", 0},
	{"DF-PIPEFAIL", D "SHELL [\"pwsh\", \"-c\"]\nRUN a | b\n", 0},
	{"DF-CD", D "RUN cd /app && make\n", 1},
	{"DF-CD", D "RUN (cd /app && make)\n", 0},
	{"DF-WORKDIR-RELATIVE", D "WORKDIR app\n", 1},
	{"DF-WORKDIR-RELATIVE", D "WORKDIR /app\nWORKDIR $HOME\nWORKDIR \"/x\"\n", 0},
	{"DF-SUDO", D "RUN sudo make install\n", 1},
	{"DF-SUDO", D "RUN gosu app make\n", 0},
	{"DF-SETUID", D "RUN chmod 4755 /bin/x\n", 1},
	{"DF-SETUID", D "RUN chmod u+s /bin/x && chmod g+s /d\n", 2},
	{"DF-SETUID", D "RUN chmod 755 /bin/x && chmod a-s /bin/y && chmod +x z\n", 0},
	{"DF-CHMOD-WORLD-WRITABLE", D "RUN chmod -R 777 /app\n", 1},
	{"DF-CHMOD-WORLD-WRITABLE", D "RUN chmod o+w /app\n", 1},
	{"DF-CHMOD-WORLD-WRITABLE", D "RUN chmod 1777 /tmp && chmod 755 /app && chmod u+w x\n", 0},
	{"DF-USERADD-NO-L", D "RUN useradd -u 123456 app\n", 1},
	{"DF-USERADD-NO-L", D "RUN useradd -l -u 123456 app && useradd -u 1000 b\n", 0},
	{"DF-ROOT-SHELL", D "RUN useradd app\n", 1},
	{"DF-ROOT-SHELL", D "RUN useradd app && chsh -s /usr/sbin/nologin root\n", 0},
	{"DF-ROOT-SHELL", D "RUN true\n", 0},
	{"DF-WGET-AND-CURL", D "RUN curl -o a x && wget y\n", 1},
	{"DF-WGET-AND-CURL", D "RUN curl -o a x && curl -o b y\n", 0},
	{"DF-POINTLESS-COMMAND", D "RUN service nginx start\n", 1},
	{"DF-POINTLESS-COMMAND", D "RUN nginx -t\n", 0},
	{"DF-SH-SYMLINK", D "RUN ln -sf /bin/bash /bin/sh\n", 1},
	{"DF-SH-SYMLINK", D "RUN ln -s /opt/x /usr/bin/x\n", 0},
	{"DF-TLS-VERIFY-OFF", D "RUN curl -k https://x -o y\n", 1},
	{"DF-TLS-VERIFY-OFF", D "RUN wget --no-check-certificate https://x\n", 1},
	{"DF-TLS-VERIFY-OFF", D "RUN pip install --trusted-host pypi.org x==1\n", 1},
	{"DF-TLS-VERIFY-OFF", D "RUN git -c http.sslVerify=false clone x\n", 1},
	{"DF-TLS-VERIFY-OFF", D "RUN npm config set strict-ssl false\n", 1},
	{"DF-TLS-VERIFY-OFF", D "ENV NODE_TLS_REJECT_UNAUTHORIZED=0 PYTHONHTTPSVERIFY=0\n", 2},
	{"DF-TLS-VERIFY-OFF", D "RUN GIT_SSL_NO_VERIFY=1 git clone x\n", 1},
	{"DF-TLS-VERIFY-OFF", D "RUN curl -fsSL https://x -o y\nENV NODE_TLS_REJECT_UNAUTHORIZED=1\n", 0},
	{"DF-UNSIGNED-PACKAGES", D "RUN apk add --allow-untrusted x.apk\n", 1},
	{"DF-UNSIGNED-PACKAGES", D "RUN apt-get install -y --allow-unauthenticated x\n", 1},
	{"DF-UNSIGNED-PACKAGES", D "RUN yum install -y --nogpgcheck x\n", 1},
	{"DF-UNSIGNED-PACKAGES", D "RUN rpm -i --nosignature x.rpm\n", 1},
	{"DF-UNSIGNED-PACKAGES", D "RUN echo 'deb [trusted=yes] http://x ./' > /etc/apt/sources.list\n", 1},
	{"DF-UNSIGNED-PACKAGES", D "RUN apt-get install -y x && yum install -y y\n", 0},
	{"DF-SSH-SERVER", D "RUN apt-get install -y openssh-server\n", 1},
	{"DF-SSH-SERVER", D "CMD [\"/usr/sbin/sshd\", \"-D\"]\n", 1},
	{"DF-SSH-SERVER", D "RUN apt-get install -y openssh-client\n", 0},
	{"DF-SECRET-TOKEN", D "ENV K=AKIAIOSFODNN7EXAMPLE\n", 1},
	{"DF-SECRET-TOKEN", D "ARG T=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n", 1},
	{"DF-SECRET-TOKEN", D "RUN curl -u admin:s3cret@x https://user:pa55@host/x\n", 1},
	{"DF-SECRET-TOKEN", D "LABEL k=sk_live_abcdefghijklmnopqrstuvwxyz\n", 1},
	{"DF-SECRET-TOKEN", D "ENV K=AKIA123 URL=https://host/x TOKEN=ghp_short\n", 0},
	/* an AWS secret key is known by the name before it: exactly 40 characters of base64 */
	{"DF-SECRET-TOKEN", D "RUN echo 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' >> c\n", 1},
	{"DF-SECRET-TOKEN", D "RUN export AWS_SECRET_ACCESS_KEY=\"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\"\n", 1},
	{"DF-SECRET-TOKEN", D "RUN export AWS_SECRET_ACCESS_KEY=$KEY aws_secret_access_key=x\n", 0},
	{"DF-SECRET-TOKEN", D "RUN echo aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYX\n", 0},
	{"DF-SECRET-TOKEN", D "RUN echo my_aws_secret_access_key_file=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", 0},
	{"DF-SECRET-ENV", D "ENV DB_PASSWORD=hunter2\n", 1},
	{"DF-SECRET-ENV", D "ENV API_KEY hunter2\n", 1},
	{"DF-SECRET-ENV", D "ARG ADMIN_PASS=hunter2\n", 1},
	{"DF-SECRET-ENV", D "ENV DB_PASSWORD_FILE=/run/secrets/db DB_PASSWORD=$DBP TOKEN_URL=http://x\n", 0},
	{"DF-SECRET-ENV", D "ENV PASSWORD=\"\" SECRET=changeme\n", 0},
	{"DF-SECRET-ARG", D "ARG NPM_TOKEN\n", 1},
	{"DF-SECRET-ARG", D "ARG VERSION\nARG TOKEN_FILE\n", 0},
	{"DF-SECRET-FILE", D "COPY id_rsa .env cert.key /x/\n", 3},
	{"DF-SECRET-FILE", D "ADD .npmrc /root/\n", 1},
	{"DF-SECRET-FILE", D "COPY .env.example app.py /x/\nCOPY --from=b /k.key /k\n", 0},
	{"DF-PASSWORD-IN-RUN", D "RUN echo 'root:toor' | chpasswd\n", 1},
	{"DF-PASSWORD-IN-RUN", D "RUN useradd -p '$6$x' app\n", 1},
	{"DF-PASSWORD-IN-RUN", D "RUN echo \"app:$PW\" | chpasswd\n", 0},
	{"DF-HEALTHCHECK-MISSING", D "CMD [\"x\"]\n", 1},
	{"DF-HEALTHCHECK-MISSING", D "HEALTHCHECK CMD x\n", 0},
	{"DF-HEALTHCHECK-MISSING", "FROM a:1 AS b\nHEALTHCHECK CMD x\nFROM b\n", 0},
	{"DF-HEALTHCHECK-NONE", D "HEALTHCHECK NONE\n", 1},
	{"DF-HEALTHCHECK-NONE", D "HEALTHCHECK CMD true\n", 0},
	{"DF-MULTIPLE-HEALTHCHECK", D "HEALTHCHECK CMD a\nHEALTHCHECK CMD b\n", 1},
	{"DF-MULTIPLE-HEALTHCHECK", D "HEALTHCHECK CMD a\nFROM b:1\nHEALTHCHECK CMD b\n", 0},
	{"DF-EXPOSE-SSH", D "EXPOSE 22/tcp\n", 1},
	{"DF-EXPOSE-SSH", D "EXPOSE 20-30\n", 1},
	{"DF-EXPOSE-SSH", D "EXPOSE 2222 80\n", 0},
	{"DF-EXPOSE-RANGE", D "EXPOSE 70000\n", 1},
	{"DF-EXPOSE-RANGE", D "EXPOSE 8080 $PORT 53/udp\n", 0},
	{"DF-EXPOSE-DOCKER-API", D "EXPOSE 2375\n", 1},
	{"DF-EXPOSE-DOCKER-API", D "EXPOSE 8080\n", 0},
	{"DF-MAINTAINER", D "MAINTAINER me\n", 1},
	{"DF-MAINTAINER", D "LABEL maintainer=me\n", 0},
	{"DF-MULTIPLE-CMD", D "CMD a\nCMD b\n", 1},
	{"DF-MULTIPLE-CMD", D "CMD [\"a\"]\n", 0},
	{"DF-MULTIPLE-ENTRYPOINT", D "ENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]\n", 1},
	{"DF-MULTIPLE-ENTRYPOINT", D "ENTRYPOINT [\"a\"]\n", 0},
	{"DF-SHELL-FORM-CMD", D "CMD python app.py\n", 1},
	{"DF-SHELL-FORM-CMD", D "CMD [\"python\", \"app.py\"]\n", 0},
	{"DF-EXEC-FORM-INVALID", D "CMD ['a', 'b']\n", 1},
	{"DF-EXEC-FORM-INVALID", D "CMD [\"a\", \"b\"]\n", 0},
	{"DF-COPY-FROM-SELF", "FROM a:1 AS x\nCOPY --from=x /a /b\n", 1},
	{"DF-COPY-FROM-SELF", "FROM a:1 AS x\nFROM b:1 AS y\nCOPY --from=x /a /b\n", 0},
	{"DF-COPY-FROM-UNKNOWN", D "COPY --from=builder /a /b\n", 1},
	{"DF-COPY-FROM-UNKNOWN", "FROM a:1 AS builder\nFROM b:1\nCOPY --from=builder /a /b\nCOPY --from=nginx:1 /a /b\n", 0},
	{"DF-STAGE-NAME-DUPLICATE", "FROM a:1 AS x\nFROM b:1 AS x\n", 1},
	{"DF-STAGE-NAME-DUPLICATE", "FROM a:1 AS x\nFROM b:1 AS y\n", 0},
	{"DF-COPY-MULTI-DEST", D "COPY a b /dst\n", 1},
	{"DF-COPY-MULTI-DEST", D "COPY a b /dst/\nCOPY a /dst\n", 0},
	{"DF-ONBUILD-INVALID", D "ONBUILD ONBUILD RUN x\n", 1},
	{"DF-COPY-STAGE-ROOT", "FROM alpine:3.20 AS b\n" D "COPY --from=b / /\n", 1},
	{"DF-COPY-STAGE-ROOT", "FROM alpine:3.20 AS b\n" D "COPY --from=b / /app\n", 0},
	{"DF-WORKDIR-SYSTEM", D "WORKDIR \"/proc/self/fd/1\"\n", 1},
	{"DF-WORKDIR-SYSTEM", D "WORKDIR /process\n", 0},
	{"DF-USER-NAME", D "USER app\n", 1},
	{"DF-USER-NAME", D "USER 10001:10001\n", 0},
	{"DF-DNF-PIN", "FROM fedora:41 AS b\nENV v=2.5\n" D "RUN dnf -y install git-core-${v}\n", 1},
	{"DF-DNF-PIN", "FROM fedora:41 AS b\nENV v=2.5\nFROM b\nRUN dnf -y install git-core-${v}\n", 0},
	{"DF-ONBUILD-INVALID", D "ONBUILD FROM x\n", 1},
	{"DF-ONBUILD-INVALID", D "ONBUILD RUN x\n", 0},
	{"DF-ENV-SELF-REFERENCE", D "ENV A=1 B=$A\n", 1},
	{"DF-ENV-SELF-REFERENCE", D "ENV A=1\nENV B=$A AB=$AB\n", 0},
	{"DF-COPY-RELATIVE", D "COPY a app/\n", 1},
	{"DF-COPY-RELATIVE", D "WORKDIR /x\nCOPY a app/\n", 0},
	{"DF-INSTRUCTION-ORDER", "RUN x\nFROM a:1\n", 1},
	{"DF-INSTRUCTION-ORDER", "ARG A=1\nFROM a:1\n", 0},
	{"DF-UNKNOWN-INSTRUCTION", D "RUNN x\n", 1},
	{"DF-UNKNOWN-INSTRUCTION", D "run x\n", 0},
	{"DF-VOLUME-SYSTEM-PATH", D "VOLUME /var/run/docker.sock\n", 1},
	{"DF-VOLUME-SYSTEM-PATH", D "VOLUME [\"/data\", \"/var/lib/app\"]\n", 0},
	{"DF-EMPTY-CONTINUATION", D "RUN a \\\n\n    b\n", 1},
	{"DF-EMPTY-CONTINUATION", D "RUN a \\\n    # comment\n    b\n", 0},
};

static void test_every_case(void **state)
{
	size_t i, failures = 0;

	(void)state;
	for (i = 0; i < DS_ARRAY_SIZE(cases); i++) {
		struct target t;
		int rc = unit_lint(&t, cases[i].df, NULL);
		size_t got = rc ? (size_t)-1 : unit_count(&t, cases[i].rule);
		if (!rules_find(cases[i].rule)) {
			print_error("case %zu names an unknown rule %s\n", i, cases[i].rule);
			failures++;
		} else if (got != cases[i].want) {
			print_error("%s: got %zd, want %zu (rc %d %s) for:\n%s\n", cases[i].rule,
				    (ssize_t)got, cases[i].want, rc, t.err.msg, cases[i].df);
			failures++;
		}
		target_release(&t);
	}
	assert_int_equal(failures, 0);
}

static void test_every_rule_has_positive_and_negative_cases(void **state)
{
	size_t r, i, missing = 0;

	(void)state;
	for (r = 0; r < df_rules_n; r++) {
		bool pos = false, neg = false;
		for (i = 0; i < DS_ARRAY_SIZE(cases); i++) {
			if (strcmp(cases[i].rule, df_rules[r].id))
				continue;
			if (cases[i].want)
				pos = true;
			else
				neg = true;
		}
		if (df_rules[r].fn && (!pos || !neg) &&
		    strcmp(df_rules[r].id, "DF-FROM-UNTRUSTED-REGISTRY")) {
			print_error("rule %s lacks a %s case\n", df_rules[r].id,
				    pos ? "negative" : "positive");
			missing++;
		}
	}
	assert_int_equal(missing, 0);
}

static void test_untrusted_registry_with_config(void **state)
{
	struct ds_config *c;
	struct ds_err err = {0};
	struct target t;
	const char y[] = "trusted-registries: [registry.example.com]\n";

	(void)state;
	assert_int_equal(cfg_load_mem("c.yaml", y, strlen(y), &c, &err), 0);
	assert_int_equal(unit_lint(&t, "FROM ubuntu:22.04\nFROM registry.example.com/a:1\n", c), 0);
	assert_int_equal(unit_count(&t, "DF-FROM-UNTRUSTED-REGISTRY"), 1);
	target_release(&t);
	cfg_free(c);
}

static void test_rule_ids_are_unique_and_documented(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < rules_count(); i++) {
		const struct rule *r = rules_at(i);
		assert_non_null(r->title);
		assert_true(strlen(r->rationale) > 20);
		assert_true(strlen(r->remediation) > 5);
		assert_non_null(r->refs[0]);
		for (k = 0; k < i; k++)
			assert_string_not_equal(r->id, rules_at(k)->id);
	}
}

static void test_findings_point_at_the_offending_line(void **state)
{
	struct target t;
	const char *df = D "RUN apt-get update && \\\n"
			   "    apt-get install -y \\\n"
			   "      curl\n";

	(void)state;
	assert_int_equal(unit_lint(&t, df, NULL), 0);
	for (size_t i = 0; i < t.nfindings; i++)
		if (!strcmp(t.findings[i].rule->id, "DF-APT-PIN")) {
			assert_int_equal(t.findings[i].loc.line, 4);
			assert_int_equal(t.findings[i].loc.col, 7);
			assert_int_equal(t.findings[i].loc.end_line, 4);
		} else if (!strcmp(t.findings[i].rule->id, "DF-APT-RECOMMENDS")) {
			assert_int_equal(t.findings[i].loc.line, 3);
			assert_int_equal(t.findings[i].loc.col, 5);
			assert_int_equal(t.findings[i].loc.end_line, 4);
		}
	target_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_case),
		cmocka_unit_test(test_every_rule_has_positive_and_negative_cases),
		cmocka_unit_test(test_untrusted_registry_with_config),
		cmocka_unit_test(test_rule_ids_are_unique_and_documented),
		cmocka_unit_test(test_findings_point_at_the_offending_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
