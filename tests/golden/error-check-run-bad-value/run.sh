docker run --memory lots alpine:3
