#!/bin/sh
# Odd corners and refusals, ours against stock 2.1.8 on twin databases:
# stdout, stderr and exit code must agree. Known, deliberate differences
# (listed in iscsiadm(8)) are not here: chap_algs with an unknown name is
# refused by ours (stock ignores the name), and the help text documents
# --lun.
. usr/tests/sh/adm_common.sh
stock_required "ours against stock"
S=$(etc_dir s none)
O=$(etc_dir o none)
for run in stock ours; do
	d=$S; [ $run = ours ] && d=$O
	$run "$d" -m node -o new -T iqn.m:1 -p 127.0.0.1:3370,1
	$run "$d" -m node -o new -T iqn.m:2 -p 127.0.0.1:3372
	$run "$d" -m discoverydb -t st -p 127.0.0.1:3371 -o new
done
while IFS= read -r args; do
	case "$args" in ''|'#'*) continue ;; esac
	eval "set -- $args"
	stock "$S" "$@"; ours "$O" "$@"
	same_out "$args"
done <<'EOC'
-m node -T iqn.m:1
-m node -p 127.0.0.1
-m node -p 127.0.0.1:3370
-m node -p 127.0.0.1:3370,2
-m node -I default
-m node -I nosuch
-m node -T iqn.m:1 -o update -n node.session.cmds_max -v 64
-m node -T iqn.m:1 -o update -n node.conn[0].iscsi.HeaderDigest -v CRC32C
-m node -T iqn.m:1 -o update -n node.conn[0].iscsi.DataDigest -v crc32c
-m node -T iqn.m:1 -o update -n node.session.timeo.replacement_timeout -v 5
-m node -T iqn.m:1 -o update -n iface.transport_name -v iser
-m node -T iqn.m:1 -o update -n node.transport_name -v tcp
-m node -T iqn.m:1 -o update -n iface.hwaddress -v 00:11:22:33:44:55
-m node -T iqn.m:1 -o update -n node.discovery_type -v isns
-m node -T iqn.m:1 -o update -n node.conn[0].port -v 1
-m node -T iqn.m:1 -o update -n node.session.iscsi.ImmediateData -v no
-m node -T iqn.m:1 -o show -n node.session.cmds_max
-m node -T iqn.m:1 -o update
-m node -T iqn.m:1 -o update -v 1
-m node -o update -n node.startup -v manual
-m node -o show -S
-m node -o delete -T iqn.none
-m node -P 0
-m node -P 1
-m node -P 5
-m node -o new -T iqn.m:2
-m node -T iqn.m:2 -p 127.0.0.1:3372 -o delete
-m node -T iqn.m:2 -p 127.0.0.1:3372 -o delete
-m discoverydb -t sendtargets -p 127.0.0.1:3371 -o update -n discovery.sendtargets.timeo.login_timeout -v 9
-m discoverydb -t st -p 127.0.0.1:3371 -o update -n node.session.auth.chap_algs -v SHA1
-m discoverydb -t st -p 127.0.0.1:3371 -o show -n discovery.startup
-m discoverydb -t st -p 127.0.0.1:3371 -o update -n discovery.nope -v 1
-m discoverydb -t st -p 127.0.0.1:3371 -o update -n discovery.type -v isns
-m discoverydb -t st -p 127.0.0.1 -o show
-m discoverydb -p 127.0.0.1 -o show
-m discoverydb -t st -o show
-m discoverydb -o update -n discovery.startup -v manual
-m discoverydb -P 2
-m discoverydb -P 1
-m discovery
-m discovery -P 1
-m iface -P 2
-m iface -o new
-m iface -o delete
-m iface -o update -n iface.ipaddress -v 1
-m iface -I default -o delete
-m iface -I iser -o new
-m iface -I nosuch -o delete
-m nosuchmode
-m node -o nosuchop
-m node -Z
--version
-m session -T x
-m node -h
-m node -V
-m node -i 3 -T x
-m iface -T x -I y
-m discovery -r 1
-m discoverydb -R
-V -m node
-T x -m session
EOC
finish
