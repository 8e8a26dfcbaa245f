#!/bin/bash
# usage: tests/lint/floors.sh [TOP]
#
# Reads every #include "..." line under lib/, builder/ and installer/ and
# fails on one that crosses a floor (docs/architecture.md):
#
#   lib/                  lib only (it serves both programs)
#   builder/              lib, builder
#   installer/detect/     lib, detect
#   installer/plan/       lib, detect, plan
#   installer/ui/         lib, detect, ui
#   installer/target/     lib, detect, plan, target + install/inst.h (the context)
#   installer/firstboot/  lib, detect, plan, target, firstboot
#                         + install/inst.h, install/inst-http.h
#   installer/host/       lib, detect, plan, target, host
#   installer/install/    every installer folder, but not ui/ui-dialog.h
#   installer/*.c (front) everything in lib/ and installer/
#
# ui/ui-dialog.h (dialog code) is for the front end and ui/ only: no step
# includes it. An internal header (*-internal.h, *-int.h, detect/hw-probe.h)
# is for the files of its own folder only (the unit tests are not checked). An include is resolved as the compiler does for quotes: the
# including file's folder first, then -I. -Ilib -Iinstaller -Ibuilder; one
# that resolves nowhere is an error too. Exits 1 with one line per violation.
set -u
top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$top" || exit 2

# (no subshells per include: the check runs on the whole tree many times
# in tests/cmd/floors.sh)
zone() {	# zone PATH: sets Z to the floor a source path belongs to
	case $1 in
	lib/*) Z=lib ;;
	builder/*) Z=builder ;;
	installer/detect/*) Z=detect ;;
	installer/plan/*) Z=plan ;;
	installer/install/*) Z=install ;;
	installer/target/*) Z=target ;;
	installer/firstboot/*) Z=firstboot ;;
	installer/host/*) Z=host ;;
	installer/ui/*) Z=ui ;;
	installer/*/*) Z=unknown ;;
	installer/*) Z=front ;;
	*) Z=unknown ;;
	esac
}

normal() {	# normal PATH: sets N to PATH without '.', '..' and empty parts
	local part out=() IFS=/
	for part in $1; do
		case $part in
		'' | .) ;;
		..) [ ${#out[@]} -gt 0 ] && unset 'out[${#out[@]}-1]' ;;
		*) out+=("$part") ;;
		esac
	done
	N="${out[*]}"
}

allowed() {	# allowed FROM-ZONE TO-ZONE HEADER-PATH SOURCE-PATH
	local from=$1 to=$2 hdr=$3 src=$4
	case $hdr in
	*-internal.h | *-int.h | installer/detect/hw-probe.h)
		[ "${hdr%/*}" = "${src%/*}" ] || return 1 ;;
	esac
	if [ "$hdr" = installer/ui/ui-dialog.h ]; then
		case $from in front | ui) return 0 ;; *) return 1 ;; esac
	fi
	case $from in
	lib) [[ $to == lib ]] ;;
	builder) [[ $to =~ ^(lib|builder)$ ]] ;;
	detect) [[ $to =~ ^(lib|detect)$ ]] ;;
	plan) [[ $to =~ ^(lib|detect|plan)$ ]] ;;
	ui) [[ $to =~ ^(lib|detect|ui)$ ]] ;;
	target) [[ $to =~ ^(lib|detect|plan|target)$ ]] ||
		[ "$hdr" = installer/install/inst.h ] ;;
	firstboot) [[ $to =~ ^(lib|detect|plan|target|firstboot)$ ]] ||
		[ "$hdr" = installer/install/inst.h ] ||
		[ "$hdr" = installer/install/inst-http.h ] ||
		[ "$hdr" = installer/install/inst-webhook.h ] ;;
	host) [[ $to =~ ^(lib|detect|plan|target|host)$ ]] ;;
	install) [[ $to =~ ^(lib|detect|plan|target|firstboot|install|ui)$ ]] ;;
	front) [[ $to =~ ^(lib|detect|plan|target|firstboot|host|install|ui|front)$ ]] ;;
	*) return 1 ;;
	esac
}

bad=0 files=0 incs=0
mapfile -t sources < <(find lib builder installer -name '*.[ch]' | sort)
for src in "${sources[@]}"; do
	files=$((files + 1))
	zone "$src"
	[ "$Z" = unknown ] || continue
	echo "floors: '$src': a folder with no floor rule (add it to tests/lint/floors.sh)"
	bad=1
done
# one awk for the whole tree: "FILE:LINE:HEADER" per quoted #include
while IFS=: read -r src line inc; do
	zone "$src"
	from=$Z
	[ "$from" = unknown ] && continue
	incs=$((incs + 1))
	hdr=
	for base in "${src%/*}" . lib installer builder; do
		if [ -f "$base/$inc" ]; then
			normal "$base/$inc"
			hdr=$N
			break
		fi
	done
	if [ -z "$hdr" ]; then
		echo "floors: $src:$line: '$inc' resolves to no file"
		bad=1
		continue
	fi
	zone "$hdr"
	to=$Z
	if ! allowed "$from" "$to" "$hdr" "$src"; then
		echo "floors: $src:$line: $from/ may not include '$hdr' ($to/)"
		bad=1
	fi
done < <(awk 'match($0, /^[ \t]*#[ \t]*include[ \t]*"[^"]*"/) {
		s = substr($0, RSTART, RLENGTH); sub(/^[^"]*"/, "", s); sub(/"$/, "", s)
		print FILENAME ":" FNR ":" s }' "${sources[@]}")
echo "floors: $files files, $incs includes checked"
exit $bad
