// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mokvar VARS CERT.der: enroll one X.509 certificate in a copy of OVMF's
 * variable store, as shim's MOK list (the e2e of a ZFS root under Secure
 * Boot: the stand-in's zfs modules are signed with the build's own key, and
 * the kernel trusts a module key only when shim hands it over from MokList).
 * Bookworm has no tool that writes a variable into an OVMF VARS file, and
 * enrolling through MokManager needs someone at its screen.
 *
 * What it writes (facts from the UEFI spec, EDK2's VariableFormat.h and
 * shim): in the firmware volume's authenticated variable store, after the
 * last variable, one variable "MokList", vendor GUID SHIM_LOCK
 * 605dab50-e046-4300-abb6-3dd810dd8b23, attributes NV|BS (shim deletes a
 * MokList that is reachable at runtime), state VAR_ADDED, holding one
 * EFI_SIGNATURE_LIST of type EFI_CERT_X509 with the certificate, owner SHIM_LOCK.
 * A store that already has a MokList, or has no room, is refused.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VAR_START_ID	0x55AA
#define VAR_ADDED	0x3F
#define ATTR_NV_BS	0x3u
#define AUTH_HDR_SIZE	60	/* EDK2's AUTHENTICATED_VARIABLE_HEADER */
#define STORE_HDR_SIZE	28	/* VARIABLE_STORE_HEADER */

/* GUIDs as stored: the first three fields little-endian */
static const uint8_t auth_store_guid[16] = {	/* aaf32c78-947b-439a-a180-2e144ec37792 */
	0x78, 0x2c, 0xf3, 0xaa, 0x7b, 0x94, 0x9a, 0x43,
	0xa1, 0x80, 0x2e, 0x14, 0x4e, 0xc3, 0x77, 0x92 };
static const uint8_t shim_lock_guid[16] = {	/* 605dab50-e046-4300-abb6-3dd810dd8b23 */
	0x50, 0xab, 0x5d, 0x60, 0x46, 0xe0, 0x00, 0x43,
	0xab, 0xb6, 0x3d, 0xd8, 0x10, 0xdd, 0x8b, 0x23 };
static const uint8_t x509_guid[16] = {		/* a5c059a1-94e4-4aa7-87b5-ab155c2bf072 */
	0xa1, 0x59, 0xc0, 0xa5, 0xe4, 0x94, 0xa7, 0x4a,
	0x87, 0xb5, 0xab, 0x15, 0x5c, 0x2b, 0xf0, 0x72 };

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t get32(const uint8_t *p) { return get16(p) | (uint32_t)get16(p + 2) << 16; }
static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

static int fail(const char *what)
{
	fprintf(stderr, "mokvar: %s\n", what);
	return 1;
}

/* UTF-16LE "MokList\0" */
static size_t mok_name(uint8_t *out)
{
	static const char name[] = "MokList";
	size_t n = 0;

	for (size_t i = 0; i < sizeof(name); i++) {
		out[n++] = (uint8_t)name[i];
		out[n++] = 0;
	}
	return n;
}

int main(int argc, char **argv)
{
	uint8_t *fv, *cert, name[32];
	size_t fv_len = 0, cert_len = 0, name_len = mok_name(name), off, end, data_len, need;
	uint32_t store_size;
	uint16_t hdr_len;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: mokvar OVMF_VARS.fd CERT.der\n");
		return 2;
	}
	fv = slurp(argv[1], &fv_len);
	cert = slurp(argv[2], &cert_len);
	if (!fv || fv_len < 0x100)
		return fail("cannot read the variable store");
	if (!cert || cert_len < 16 || cert[0] != 0x30)
		return fail("cannot read the certificate (DER X.509 expected)");
	if (memcmp(fv + 40, "_FVH", 4))
		return fail("not a firmware volume (no _FVH signature)");
	hdr_len = get16(fv + 48);
	if ((size_t)hdr_len + STORE_HDR_SIZE > fv_len ||
	    memcmp(fv + hdr_len, auth_store_guid, 16))
		return fail("no authenticated variable store after the volume header");
	store_size = get32(fv + hdr_len + 16);
	if (fv[hdr_len + 20] != 0x5A || fv[hdr_len + 21] != 0xFE)
		return fail("the variable store is not formatted and healthy");
	end = (size_t)hdr_len + store_size;
	if (end > fv_len)
		return fail("the variable store is larger than the file");
	/* walk the variables to the first free byte */
	off = (size_t)hdr_len + STORE_HDR_SIZE;
	while (off + AUTH_HDR_SIZE <= end && get16(fv + off) == VAR_START_ID) {
		uint32_t ns = get32(fv + off + 36), ds = get32(fv + off + 40);

		if (fv[off + 2] == VAR_ADDED && ns == name_len &&
		    !memcmp(fv + off + 44, shim_lock_guid, 16) &&
		    !memcmp(fv + off + AUTH_HDR_SIZE, name, name_len))
			return fail("the store already holds a MokList");
		off += AUTH_HDR_SIZE + ns + ds;
		off = (off + 3) & ~(size_t)3;
	}
	data_len = 28 + 16 + cert_len;
	need = AUTH_HDR_SIZE + name_len + data_len;
	if (off + need > end)
		return fail("no room left in the variable store");
	for (size_t i = off; i < off + need; i++)
		if (fv[i] != 0xFF)
			return fail("the free space of the store is not blank");
	memset(fv + off, 0, AUTH_HDR_SIZE);
	fv[off] = 0xAA;
	fv[off + 1] = 0x55;
	fv[off + 2] = VAR_ADDED;
	put32(fv + off + 4, ATTR_NV_BS);
	/* MonotonicCount, TimeStamp, PubKeyIndex: 0 (not an authenticated write) */
	put32(fv + off + 36, (uint32_t)name_len);
	put32(fv + off + 40, (uint32_t)data_len);
	memcpy(fv + off + 44, shim_lock_guid, 16);
	memcpy(fv + off + AUTH_HDR_SIZE, name, name_len);
	{
		uint8_t *d = fv + off + AUTH_HDR_SIZE + name_len;

		memcpy(d, x509_guid, 16);			/* SignatureType */
		put32(d + 16, (uint32_t)data_len);		/* SignatureListSize */
		put32(d + 20, 0);				/* SignatureHeaderSize */
		put32(d + 24, (uint32_t)(16 + cert_len));	/* SignatureSize */
		memcpy(d + 28, shim_lock_guid, 16);		/* SignatureOwner */
		memcpy(d + 44, cert, cert_len);
	}
	f = fopen(argv[1], "r+b");
	if (!f || fwrite(fv, 1, fv_len, f) != fv_len || fclose(f) != 0)
		return fail("cannot write the variable store back");
	printf("mokvar: MokList (%zu-byte certificate) at offset 0x%zx of %s\n", cert_len, off,
	       argv[1]);
	free(fv);
	free(cert);
	return 0;
}
