#!/bin/sh
# A thin wrapper offering the client launcher contract (conformance/README.md, "The client suite")
# for a client whose own command line differs: positional placeholders in, its flags out. The client
# suite's test runs the minimal client through it:
#   --client "sh test/conformance-client/contract-wrapper.sh {host} {port} {user} {password} {versions}"
# Extra arguments (a planted fault) are passed on.
host=$1 port=$2 user=$3 password=$4 versions=$5
shift 5
exec node --import tsx test/conformance-client/minimal-client.ts \
  --host "$host" --port "$port" --user "$user" --password "$password" --versions "$versions" "$@"
