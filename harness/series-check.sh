#!/usr/bin/env bash
# Per-patch checks, as the netdev bots do them: each patch of the two series
# (lib.sh SERIES; the direction series first), in order, must build on its
# own (rust/, drivers/net/ and the core C it changes, with W=1 and CLIPPY=1,
# no warning in a file the series touch), be checkpatch --strict
# --codespell clean (and at 80 columns but for Rust), add no file without
# a MAINTAINERS entry, its Rust rustfmt clean and its Python ruff and pylint
# clean; the whole series must be rustdoc clean. Cached: a build by tree id
# (a patch that changes no built file takes the previous patch's build),
# a patch's checks by its text, its tree and this script. One build
# directory per state of what bindgen reads, so that the worktree's going
# back to a state does not regenerate its bindings and rebuild all Rust.
# Writes "passed failed skipped" to $RESULTS/series.counts.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

WT=$CACHE/linux-series
# Debian's codespell keeps its dictionary where checkpatch does not look.
CODESPELL_DICT=/usr/lib/python3/dist-packages/codespell_lib/data/dictionary.txt
[ -f "$CODESPELL_DICT" ] || die "no codespell dictionary: run 'make setup'"
OKDIR=$CACHE/series-ok
mkdir -p "$OKDIR" "$RESULTS"
log=$RESULTS/series.log
: >"$log"
passed=0 failed=0

ktree_worktree "$WT"

# What bindgen reads that a patch may change: kbuild regenerates the
# bindings when one is newer than them, and then rebuilds all Rust.
BINDGEN_INPUTS=(rust/bindings/bindings_helper.h rust/bindgen_parameters rust/helpers)
# use_outdir [build]: set OUT to the build directory of the worktree's
# bindgen input state; with "build", make it ready to build in. A new
# state's directory starts as a copy of the one used last.
# The bindgen and clang the state's bindings were made with count too.
bindgen_tools=$(bindgen --version; "clang$LLVM_SUFFIX" --version | sed -n 1p)
states=() used=0
last_out=$(ls -dt "$BUILD"/series-???????????? "$BUILD"/series 2>/dev/null | head -n 1 || true)
use_outdir() {
	local state src
	state=$({
		git -C "$KTREE" rev-parse nlmon-base
		echo "$bindgen_tools"
		git -C "$WT" rev-parse "${BINDGEN_INPUTS[@]/#/HEAD:}"
	} | sha256sum | cut -c1-12)
	states+=("$state")
	OUT=$BUILD/series-$state
	[ "${1:-}" = build ] || return 0
	used=1
	if [ ! -f "$OUT/.nlmon-created" ]; then
		src=$last_out
		[ "$src" != "$OUT" ] || src=
		rm -rf "$OUT.tmp"
		if [ -n "$src" ]; then cp -a "$src" "$OUT.tmp"; else mkdir -p "$OUT.tmp"; fi
		rm -rf "$OUT"
		touch "$OUT.tmp/.nlmon-created"
		mv "$OUT.tmp" "$OUT"
	fi
	# A checkout gives the files it rewrites a new mtime, so coming back
	# to this state would regenerate bindings from the same input. Date
	# the input to the directory's creation: what was built from it here
	# is newer, what came with the copy is older and is remade.
	(cd "$WT" && find "${BINDGEN_INPUTS[@]}" -exec touch -h -r "$OUT/.nlmon-created" {} +)
	last_out=$OUT
}

# wmake ARGS...: make in the worktree, UML with the KUnit configuration.
wmake() {
	flock "$BUILD_LOCK" make -C "$WT" O="$OUT" ARCH=um LLVM="$LLVM_SUFFIX" -j"$(nproc)" "$@"
}

result() { # NAME OK?
	if [ "$2" = 0 ]; then passed=$((passed + 1)); printf '  %-40s ok\n' "$1"
	else failed=$((failed + 1)); printf '  %-40s FAILED\n' "$1"; fi
	checked+=("$1")
}

# Warnings (C or Rust) located in one of the files in $touched.
own_warnings() {
	{ grep -E -A3 '(^|: )warning:' "$1" || true; } |
		grep -oE '(-->\s*)?[^ :]+\.(rs|c|h):[0-9]+' | sed 's/^-->\s*//' |
		while read -r loc; do
			f=${loc%%:*}; f=${f#"$WT"/}
			if grep -qxF "$f" <<<"$touched"; then echo "$loc"; fi
		done | sort -u || true
}

# What else decides the checks: the base (checkpatch, get_maintainer,
# kernel-doc, lib.py for pylint), the tools and their versions.
tools=$({
	git -C "$KTREE" rev-parse nlmon-base
	cat "$HARNESS/lib.sh"
	sha256sum "$CODESPELL_DICT"
	rustfmt --version
	"$VENV/bin/ruff" --version
	"$VENV/bin/pip" list --disable-pip-version-check 2>/dev/null | grep -iE '^(pylint|astroid) '
} | sha256sum)

# What NIPA's checkpatch test ignores (tests/patch/checkpatch/checkpatch.sh).
NIPA_CHECKPATCH_IGNORED=COMMIT_LOG_LONG_LINE,MACRO_ARG_REUSE,ALLOC_SIZEOF_STRUCT,NO_AUTHOR_SIGN_OFF,GIT_COMMIT_ID,CAMELCASE,FILE_PATH_CHANGES,BAD_REPORTED_BY_LINK
# kdoc_messages: kernel-doc's warnings without file and line, sorted, each
# with its number of occurrences (a second copy of a warning is new too).
kdoc_messages() {
	sed -E 's/^(Warning|warning): [^ ]*:[0-9]+:? /\1: /' | LC_ALL=C sort | uniq -c | LC_ALL=C sort
}

n=0
commits=$(git -C "$KTREE" rev-list --reverse nlmon-base..HEAD)
total=$(wc -w <<<"$commits")
prev_tree=none
for c in $commits; do
	n=$((n + 1))
	subject=$(git -C "$KTREE" log -1 --format=%s "$c")
	tree=$(git -C "$KTREE" rev-parse "$c^{tree}")
	step "patch $n/$total: $subject"
	git -C "$WT" checkout -q --detach "$c"
	touched=$(git -C "$WT" diff --name-only nlmon-base HEAD)
	t0=$SECONDS
	# Only these hold no file of the build below (tools/ does: kernel-doc).
	built=$(git -C "$WT" diff --name-only HEAD~1 HEAD |
		grep -vE '^(Documentation|tools/testing)/|^MAINTAINERS$' || true)
	use_outdir
	if [ -f "$OKDIR/$tree" ]; then
		result "build (W=1, CLIPPY=1): tree unchanged since it passed" 0
	elif [ -z "$built" ] && [ -f "$OKDIR/$prev_tree" ]; then
		result "build (W=1, CLIPPY=1): as patch $((n - 1)), no built file changed" 0
		echo "as $prev_tree" >"$OKDIR/$tree"
	else
		use_outdir build
		cp "$HARNESS/configs/kunit.config" "$OUT/.config"
		blog=$RESULTS/series-build-$n.log
		rc=0
		# drivers/net/, and the directory of each core C file the patch
		# changes (net/core/ for the direction series).
		# shellcheck disable=SC2046
		{ wmake olddefconfig && wmake W=1 CLIPPY=1 prepare drivers/net/ \
			$(grep -E '^net/.*\.c$' <<<"$built" | xargs -r -n1 dirname | sort -u | sed 's|$|/|'); } \
			>"$blog" 2>&1 || rc=$?
		warns=$(own_warnings "$blog")
		if [ "$rc" != 0 ]; then first_error "$blog"; fi
		if [ -n "$warns" ]; then echo "  new warnings:"; sed 's/^/    /' <<<"$warns"; fi
		build_ok=1
		if [ "$rc" = 0 ] && [ -z "$warns" ]; then build_ok=0; fi
		result "build (W=1, CLIPPY=1) $((SECONDS - t0))s" $build_ok
		if [ $build_ok = 0 ]; then echo "build $((SECONDS - t0))s" >"$OKDIR/$tree"; fi
	fi

	prev_tree=$tree

	# The checks of the patch read its text (the From line holds only the
	# commit id), MAINTAINERS and the files it touches: those decide them.
	own=$(git -C "$WT" diff --name-only --diff-filter=AM HEAD~1 HEAD)
	key=$({
		git -C "$WT" format-patch -1 --stdout HEAD | tail -n +2
		# shellcheck disable=SC2086
		git -C "$WT" rev-parse HEAD:MAINTAINERS $(sed 's/^/HEAD:/' <<<"$own")
		echo "$tools"
		cat "$0"
	} | sha256sum | cut -c1-40)
	if [ -f "$OKDIR/checks-$key" ]; then
		while read -r name; do
			result "$name: unchanged since it passed" 0
		done <"$OKDIR/checks-$key"
		cat "$OKDIR/checks-$key.maint" >>"$log"
		continue
	fi
	checked=() failed_before=$failed
	# The base is a source release imported as one commit, so the upstream
	# commits a message cites are unknown to git here: that check only.
	# Also what NIPA's checkpatch test ignores (its checkpatch.sh), e.g.
	# FILE_PATH_CHANGES: a new selftest under an existing entry.
	cp_out=$(git -C "$WT" format-patch -1 --stdout HEAD |
		(cd "$WT" && PATH=/usr/bin:$PATH scripts/checkpatch.pl --strict -q \
			--codespell --codespellfile="$CODESPELL_DICT" \
			--ignore UNKNOWN_COMMIT_ID,"$NIPA_CHECKPATCH_IGNORED" -) 2>&1 || true)
	cp_ok=0
	if [ -n "$cp_out" ]; then cp_ok=1; sed 's/^/    /' <<<"$cp_out"; fi
	result "checkpatch --strict" $cp_ok
	# netdev's CI adds --max-line-length=80 (the rest is as above): Rust
	# keeps rustfmt's layout, so long lines are allowed in .rs files only.
	cp80_out=$(git -C "$WT" format-patch -1 --stdout HEAD |
		(cd "$WT" && PATH=/usr/bin:$PATH scripts/checkpatch.pl --strict -q \
			--max-line-length=80 --ignore UNKNOWN_COMMIT_ID --showfile -) 2>&1 |
		grep 'line length of' | grep -v '^[^ ]*\.rs:[0-9]*: ' || true)
	cp80_ok=0
	if [ -n "$cp80_out" ]; then cp80_ok=1; sed 's/^/    /' <<<"$cp80_out"; fi
	result "checkpatch --max-line-length=80" $cp80_ok
	mt_ok=0
	for f in $(git -C "$WT" diff --name-only --diff-filter=A HEAD~1 HEAD); do
		subs=$(cd "$WT" && scripts/get_maintainer.pl --no-git --no-git-fallback \
			--no-email --no-l --subsystem -f "$f" 2>/dev/null | grep -vx 'THE REST' || true)
		if [ -z "$subs" ]; then mt_ok=1; echo "    $f: no MAINTAINERS entry"; fi
	done
	result "new files have a MAINTAINERS entry" $mt_ok
	# NIPA's module_param test (netdev takes no new module parameter):
	# any added line that names module_param fails, unless the patch
	# removes as many. A Rust module!'s params: block counts too.
	mp_re='^\+.*module_param|^\+[[:space:]]*params:[[:space:]]*\{'
	mp_new=$(git -C "$WT" show --format= HEAD | grep -icE "$mp_re" || true)
	mp_old=$(git -C "$WT" show --format= HEAD |
		grep -icE "${mp_re//\\+/-}" || true)
	mp_ok=0
	if [ "$mp_new" -gt "$mp_old" ]; then
		mp_ok=1
		git -C "$WT" show --format= HEAD | grep -iE "$mp_re" | sed 's/^/    /'
	fi
	result "no new module parameter (NIPA module_param)" $mp_ok
	# kernel-doc on the C files and headers the patch touches, as netdev's
	# CI runs it: a warning the file did not have before the patch fails
	# (compared without line numbers; a new file has none before).
	kd_ok=0
	kd_files=$(git -C "$WT" diff --name-only --diff-filter=AM HEAD~1 HEAD -- '*.c' '*.h')
	for f in $kd_files; do
		kd_before=
		if git -C "$WT" show "HEAD~1:$f" >"$OKDIR/kdoc-before.${f##*.}" 2>/dev/null; then
			kd_before=$(cd "$WT" && PATH=/usr/bin:$PATH scripts/kernel-doc -Wall -none \
				"$OKDIR/kdoc-before.${f##*.}" 2>&1 | kdoc_messages || true)
		fi
		kd_after=$(cd "$WT" && PATH=/usr/bin:$PATH scripts/kernel-doc -Wall -none "$f" 2>&1 |
			kdoc_messages || true)
		kd_new=$(LC_ALL=C comm -13 <(echo "$kd_before") <(echo "$kd_after") | sed '/^$/d')
		if [ -n "$kd_new" ]; then kd_ok=1; echo "    $f:"; sed 's/^/      /' <<<"$kd_new"; fi
	done
	result "kernel-doc -Wall (no new warning)" $kd_ok

	rs=$(grep '\.rs$' <<<"$own" | sed "s|^|$WT/|" || true)
	fmt_ok=0
	if [ -n "$rs" ]; then
		# shellcheck disable=SC2086
		rustfmt --check --edition 2021 --config-path "$WT/.rustfmt.toml" $rs >/dev/null 2>&1 || fmt_ok=1
	fi
	result "rustfmt" $fmt_ok

	# Python (the selftest): ruff and pylint, which netdev's CI runs too.
	py=$(git -C "$WT" diff --name-only --diff-filter=AM HEAD~1 HEAD -- '*.py')
	py_ok=0
	for f in $py; do
		(cd "$WT/$(dirname "$f")" && "$VENV/bin/ruff" check -q "$(basename "$f")" &&
			"$VENV/bin/pylint" -sn --disable=R "$(basename "$f")") |
			sed 's/^/    /' || py_ok=1
	done
	result "ruff, pylint" $py_ok
	{
		echo "== $n $subject"
		(cd "$WT" && git format-patch -1 --stdout HEAD |
			PATH=/usr/bin:$PATH scripts/get_maintainer.pl --no-git --no-git-fallback --norolestats)
	} >"$OKDIR/maint.tmp" 2>&1 || true
	cat "$OKDIR/maint.tmp" >>"$log"
	if [ "$failed" = "$failed_before" ]; then
		mv "$OKDIR/maint.tmp" "$OKDIR/checks-$key.maint"
		printf '%s\n' "${checked[@]}" >"$OKDIR/checks-$key.tmp"
		mv "$OKDIR/checks-$key.tmp" "$OKDIR/checks-$key"
	fi
done

# Each series as netdev's CI takes it: a cover letter, at most 15 patches,
# subjects with the tree.
for dir in "${SERIES[@]}"; do
	step "series format: $dir/"
	fmt_ok=0
	covers=$(ls "$REPO/$dir"/0000-cover-letter.patch 2>/dev/null | wc -l)
	npatches=$(ls "$REPO/$dir"/0*.patch 2>/dev/null | grep -vc 0000-cover-letter || true)
	ncommits=$(git -C "$KTREE" rev-list --count "$(series_range "$dir")")
	if [ "$covers" != 1 ]; then fmt_ok=1; echo "  no cover letter"; fi
	if [ "$npatches" -gt 15 ] || [ "$npatches" != "$ncommits" ]; then
		fmt_ok=1; echo "  $npatches patches in $dir/, $ncommits commits"
	fi
	bad=$(grep -h '^Subject: ' "$REPO/$dir"/0*.patch | grep -v 'net-next' || true)
	if [ -n "$bad" ]; then fmt_ok=1; echo "  subjects without the tree:"; sed 's/^/    /' <<<"$bad"; fi
	result "$dir/ format ($npatches patches, cover letter, net-next)" $fmt_ok
done

# Documentation of the whole series.
step "rustdoc of the series"
head_tree=$(git -C "$KTREE" rev-parse HEAD^{tree})
if [ -f "$OKDIR/rustdoc-$head_tree" ]; then
	result "rustdoc (unchanged)" 0
else
	git -C "$WT" checkout -q --detach "$(git -C "$KTREE" rev-parse HEAD)"
	touched=$(git -C "$WT" diff --name-only nlmon-base HEAD)
	use_outdir build
	cp "$HARNESS/configs/kunit.config" "$OUT/.config"
	rc=0
	wmake olddefconfig >"$RESULTS/series-rustdoc.log" 2>&1 || rc=$?
	# CLIPPY=1 as above: otherwise the crates rustdoc needs are rebuilt
	# with rustc here and with clippy again at the next patch build.
	[ "$rc" != 0 ] || wmake W=1 CLIPPY=1 rustdoc >>"$RESULTS/series-rustdoc.log" 2>&1 || rc=$?
	warns=$(own_warnings "$RESULTS/series-rustdoc.log")
	if [ -n "$warns" ]; then sed 's/^/    /' <<<"$warns"; fi
	doc_ok=1
	if [ "$rc" = 0 ] && [ -z "$warns" ]; then doc_ok=0; fi
	result "rustdoc" $doc_ok
	if [ $doc_ok = 0 ]; then touch "$OKDIR/rustdoc-$head_tree"; fi
fi

# reStructuredText syntax of the new documentation, without Sphinx. Only
# files the series adds: edited ones (the index) use Sphinx-only roles and
# directives that plain docutils rejects.
step "documentation syntax"
rst_ok=0
for f in $(git -C "$KTREE" diff --name-only --diff-filter=A nlmon-base HEAD -- '*.rst'); do
	if ! /usr/bin/rst2pseudoxml --halt=warning --report=warning "$KTREE/$f" >/dev/null; then
		rst_ok=1
		echo "  $f: see above"
	fi
done
result "rst syntax (docutils)" $rst_ok

# Build directories of states the series no longer has, once this run
# has used one (with every build cached, it may have none yet).
if [ "$used" = 1 ]; then
	for d in "$BUILD"/series "$BUILD"/series-*; do
		[ -d "$d" ] || continue
		[[ " ${states[*]} " == *" ${d##*/series-} "* ]] || rm -rf "$d"
	done
fi

echo "get_maintainer.pl per patch: $log"
echo "$passed $failed 0" >"$RESULTS/series.counts"
[ "$failed" = 0 ] || die "series: $failed checks failed"
ok "series: $passed checks passed over $total patches"
