#!/bin/sh
# shell-aware: continuations, quotes, $(...), sudo, && chains
set -e
sudo docker run -d --name web \
  -p 127.0.0.1:8080:80 -p 443:443 \
  --mount type=bind,source=/var/run/docker.sock,target=/var/run/docker.sock,readonly \
  -v "$(pwd)/conf:/etc/nginx/conf.d:ro" \
  --tmpfs /tmp:rw,size=64m \
  --ulimit nofile=-1 \
  --restart=on-failure:10 \
  --health-cmd 'curl -f http://localhost/ || exit 1' \
  --security-opt=no-new-privileges --read-only --cap-drop=ALL \
  -m 256m --cpus=1.5 --pids-limit 200 -u "$(id -u):$(id -g)" \
  nginx:1.27 nginx -g 'daemon off;'
docker pull alpine:3.20 && docker container create -itP --userns=host --uts host --cgroupns=host \
  --device /dev/kvm --group-add docker --volumes-from web --sysctl net.ipv4.ip_forward=1 \
  -e "API_KEY=AKIAIOSFODNN7EXAMPLE" --network=host alpine:3.20
echo "docker-compose run is not docker run"; mydocker run nothing
docker run --frobnicate value busybox
