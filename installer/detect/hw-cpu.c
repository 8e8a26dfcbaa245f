// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CPU: vendor, model and flags from /proc/cpuinfo; threads, cores and sockets
 * from /sys/devices/system/cpu/cpuN/topology (cpuinfo as a fallback); the
 * hybrid P/E split from /sys/devices/cpu_core/cpus and cpu_atom/cpus.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/hw-probe.h"
#include "path.h"
#include "util.h"

#define HW_CPU_MAX 8192

int hw_cpulist_parse(const char *list, unsigned char *mask, size_t n)
{
	const char *s = list;

	if (mask)
		memset(mask, 0, n);
	while (*s && isspace((unsigned char)*s))
		s++;
	if (!*s)
		return 0;
	for (;;) {
		unsigned long a, b;
		char *end;

		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		a = strtoul(s, &end, 10);
		b = a;
		s = end;
		if (*s == '-') {
			s++;
			if (!isdigit((unsigned char)*s))
				return -EINVAL;
			b = strtoul(s, &end, 10);
			s = end;
		}
		if (b < a || b >= n)
			return -EINVAL;
		if (mask)
			memset(mask + a, 1, b - a + 1);
		if (*s == ',') {
			s++;
			continue;
		}
		while (isspace((unsigned char)*s))
			s++;
		return *s ? -EINVAL : 0;
	}
}

int hw_cpulist_count(const char *list)
{
	unsigned char *mask = calloc(HW_CPU_MAX, 1);
	int ret, cnt = 0;

	if (!mask)
		return -ENOMEM;
	ret = hw_cpulist_parse(list, mask, HW_CPU_MAX);
	if (ret == 0)
		for (size_t i = 0; i < HW_CPU_MAX; i++)
			cnt += mask[i];
	free(mask);
	return ret < 0 ? ret : cnt;
}

static bool hw_has_word(const char *list, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += wl)
		if ((p == list || p[-1] == ' ' || p[-1] == '\t') &&
		    (p[wl] == '\0' || p[wl] == ' ' || p[wl] == '\n'))
			return true;
	return false;
}

/* Values of the first "processor" block, and counts over all blocks. */
static void hw_cpu_cpuinfo(struct hw *hw, const char *buf, unsigned *n_proc)
{
	struct hw_cpu *c = &hw->cpu;
	bool first = true;
	char *copy = strdup(buf);

	*n_proc = 0;
	if (!copy)
		return;
	for (char *line = copy, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		char *colon, *val, *key_end;

		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		colon = strchr(line, ':');
		if (!colon)
			continue;
		val = colon + 1;
		while (*val == ' ')
			val++;
		key_end = colon;
		while (key_end > line && isspace((unsigned char)key_end[-1]))
			key_end--;
		*key_end = '\0';
		if (!strcmp(line, "processor")) {
			first = ++*n_proc == 1;
			continue;
		}
		if (!first)
			continue;
		if (!strcmp(line, "vendor_id"))
			snprintf(c->vendor_str, sizeof(c->vendor_str), "%s", val);
		else if (!strcmp(line, "model name"))
			snprintf(c->model, sizeof(c->model), "%s", val);
		else if (!strcmp(line, "cpu family"))
			ip_strtouint(val, 10, &c->family);
		else if (!strcmp(line, "model"))
			ip_strtouint(val, 10, &c->model_id);
		else if (!strcmp(line, "flags"))
			c->virt = hw_has_word(val, "vmx") || hw_has_word(val, "svm");
	}
	free(copy);
}

/* Distinct (package, core) pairs and packages over cpuN/topology. */
static void hw_cpu_topology(struct hw *hw)
{
	struct hw_cpu *c = &hw->cpu;
	uint64_t (*pairs)[2] = NULL, pkgs[64];
	size_t n_pairs = 0, n_pkgs = 0, n;
	char **names;

	if (hw_list_dir(hw, "/sys/devices/system/cpu", &names, &n) < 0)
		return;
	pairs = calloc(n ? n : 1, sizeof(*pairs));
	if (!pairs)
		goto out;
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX];
		uint64_t pkg, core;
		unsigned num;
		bool seen = false;

		if (strncmp(names[i], "cpu", 3) || ip_strtouint(names[i] + 3, 10, &num) < 0)
			continue;
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s/topology", names[i]);
		if (!path_exists(hw->sysroot, path))
			continue;	/* offline */
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/%s/topology/physical_package_id", names[i]);
		if (hw_attr_u64(hw, path, &pkg, false) < 0)
			continue;
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/%s/topology/core_id",
			 names[i]);
		if (hw_attr_u64(hw, path, &core, false) < 0)
			continue;
		for (size_t k = 0; k < n_pairs; k++)
			if (pairs[k][0] == pkg && pairs[k][1] == core)
				seen = true;
		if (!seen) {
			pairs[n_pairs][0] = pkg;
			pairs[n_pairs++][1] = core;
		}
		seen = false;
		for (size_t k = 0; k < n_pkgs; k++)
			if (pkgs[k] == pkg)
				seen = true;
		if (!seen && n_pkgs < ARRAY_SIZE(pkgs))
			pkgs[n_pkgs++] = pkg;
	}
	if (n_pairs) {
		c->cores = (unsigned)n_pairs;
		c->sockets = (unsigned)n_pkgs;
	}
	free(pairs);
out:
	hw_names_free(names, n);
}

static void hw_cpu_hybrid(struct hw *hw)
{
	struct hw_cpu *c = &hw->cpu;
	int np, ne;

	if (hw_attr_str(hw, "/sys/devices/cpu_core/cpus", c->pcores, sizeof(c->pcores), true) < 0 ||
	    hw_attr_str(hw, "/sys/devices/cpu_atom/cpus", c->ecores, sizeof(c->ecores), true) < 0) {
		c->pcores[0] = c->ecores[0] = '\0';
		return;
	}
	np = hw_cpulist_count(c->pcores);
	ne = hw_cpulist_count(c->ecores);
	if (np < 0 || ne < 0) {
		hw_note(hw, "cannot parse hybrid cpu lists '%s' / '%s', ignoring", c->pcores,
			c->ecores);
		c->pcores[0] = c->ecores[0] = '\0';
		return;
	}
	c->n_pcores_threads = (unsigned)np;
	c->n_ecores_threads = (unsigned)ne;
	c->hybrid = np > 0 && ne > 0;
}

int hw_cpu_read(struct hw *hw)
{
	struct hw_cpu *c = &hw->cpu;
	char online[1024];
	unsigned n_proc = 0;
	char *buf;
	int ret;

	ret = path_read_all(hw->sysroot, "/proc/cpuinfo", 64 << 20, &buf, NULL);
	if (ret == -ENOMEM)
		return ret;
	if (ret < 0) {
		hw_note(hw, "cannot read '/proc/cpuinfo': %s, CPU unknown", strerror(-ret));
	} else {
		hw_cpu_cpuinfo(hw, buf, &n_proc);
		free(buf);
		if (!n_proc)
			hw_note(hw, "no 'processor' entries in '/proc/cpuinfo', CPU unknown");
	}
	if (!strcmp(c->vendor_str, "GenuineIntel"))
		c->vendor = HW_CPU_INTEL;
	else if (!strcmp(c->vendor_str, "AuthenticAMD"))
		c->vendor = HW_CPU_AMD;
	c->threads = n_proc;
	if (hw_attr_str(hw, "/sys/devices/system/cpu/online", online, sizeof(online), true) >= 0) {
		int cnt = hw_cpulist_count(online);

		if (cnt > 0)
			c->threads = (unsigned)cnt;
		else
			hw_note(hw, "cannot parse '/sys/devices/system/cpu/online', ignoring");
	}
	hw_cpu_topology(hw);
	if (!c->cores && c->threads) {
		c->cores = c->threads;
		c->sockets = 1;
	}
	hw_cpu_hybrid(hw);
	return 0;
}
