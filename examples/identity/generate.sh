#!/usr/bin/env bash
# Regenerates every file of examples/identity/ (example only, never use in production).
#
#   ca.pem                  CA "temporal-rbac example CA"; its key is thrown away
#   server.pem, server.key  the proxy's TLS certificate for localhost and 127.0.0.1
#   worker.pem, worker.key  a worker's client certificate: URI SAN
#                           spiffe://example.org/ns/payments/sa/worker, CN payments-worker, O Example
#   jwks.json               the public key (kid example-1) that signed the tokens below
#   ci-bot.jwt, alice.jwt   tokens, written by ExampleTokens.java; the signing key is never saved
#
# Everything is valid from 2026-01-01 until 2036-01-01 and identical on every run apart from
# the keys (and therefore the signatures). Run from anywhere after
# `mvn -B -ntp package -DskipTests`: the tokens are made with the fat jar's nimbus-jose-jwt.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="$root/proxy/target/temporal-rbac-proxy.jar"
[[ -f "$jar" ]] || { echo "generate.sh: build the fat jar first: mvn -B -ntp package -DskipTests" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT   # the CA key lives only here

start=20260101000000Z
end=20360101000000Z

# A minimal 'openssl ca' setup: the only way OpenSSL 3.0 sets fixed validity dates.
mkdir "$work/issued"
: > "$work/index.txt"
cat > "$work/ca.cnf" <<CNF
[ca]
default_ca = example
[example]
dir = $work
database = $work/index.txt
new_certs_dir = $work/issued
serial = $work/serial
default_md = sha256
policy = any_subject
unique_subject = no
email_in_dn = no
[any_subject]
commonName = supplied
organizationName = optional
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca_ext]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[worker_ext]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = URI:spiffe://example.org/ns/payments/sa/worker
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# sign NAME SUBJECT SERIAL EXTENSIONS KEY OUT [-selfsign]
sign() {
  openssl req -new -config "$work/ca.cnf" -key "$5" -subj "$2" -out "$work/$1.csr"
  echo "$3" > "$work/serial"
  openssl ca -batch -notext -config "$work/ca.cnf" -startdate "$start" -enddate "$end" \
    -extensions "$4" -in "$work/$1.csr" -out "$6" "${@:7}" 2>/dev/null
}

key "$work/ca.key"
sign ca "/O=Example/CN=temporal-rbac example CA" 1000 ca_ext "$work/ca.key" "$here/ca.pem" \
  -selfsign -keyfile "$work/ca.key"

key "$here/server.key"
sign server "/O=Example/CN=localhost" 1001 server_ext "$here/server.key" "$here/server.pem" \
  -cert "$here/ca.pem" -keyfile "$work/ca.key"

key "$here/worker.key"
sign worker "/O=Example/CN=payments-worker" 1002 worker_ext "$here/worker.key" "$here/worker.pem" \
  -cert "$here/ca.pem" -keyfile "$work/ca.key"
chmod 644 "$here/server.key" "$here/worker.key"   # committed examples, not secrets

openssl verify -CAfile "$here/ca.pem" "$here/server.pem" "$here/worker.pem"

java -cp "$jar" "$here/ExampleTokens.java" "$here"
