// SPDX-License-Identifier: GPL-2.0-or-later
/* What a node POSTs for its answer, and the answer URL's placeholders. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hw-build.h"
#include "install/inst-answer-url.h"
#include "install/inst-sysinfo.h"

/* The exact document for the rack node (docs/answer-file.md shows it pretty-printed). */
static const char rack_json[] =
	"{\"$schema\":{\"version\":\"1.0\"},"
	"\"product\":{\"fullname\":\"Proxmox VE\",\"product\":\"pve\",\"enable_btrfs\":true},"
	"\"iso\":{\"release\":\"0.1.0\",\"isorelease\":\"ironpass\"},"
	"\"dmi\":{\"system\":{\"name\":\"MS-7D25 Pro/A\",\"serial\":\"K2 0042\","
	"\"uuid\":\"4c4c4544-0042-3510-8052-b4c04f4a4e32\"},"
	"\"baseboard\":{\"name\":\"PRO Z690-A DDR4(MS-7D25)\"},\"chassis\":{}},"
	"\"network_interfaces\":[{\"link\":\"enp4s0\",\"mac\":\"58:47:ca:00:00:01\"},"
	"{\"link\":\"enp5s0\",\"mac\":\"58:47:ca:00:00:02\"}],"
	"\"ironpass\":{\"version\":\"0.1.0\",\"firmware\":\"uefi\",\"secure_boot\":false,"
	"\"memory_kib\":67108864,"
	"\"dmi\":{\"sys_vendor\":\"Micro-Star International Co., Ltd.\","
	"\"board_vendor\":\"Micro-Star International Co., Ltd.\",\"bios_version\":\"1.E0\"},"
	"\"cpu\":{\"vendor\":\"GenuineIntel\",\"model\":\"13th Gen Intel(R) Core(TM) i7-13700K\","
	"\"sockets\":1,\"cores\":16,\"threads\":24,\"virtualization\":true,\"hybrid\":true},"
	"\"network_interfaces\":["
	"{\"link\":\"enp4s0\",\"mac\":\"58:47:ca:00:00:01\",\"driver\":\"igc\",\"carrier\":false,"
	"\"virtual\":false,\"pci\":\"0000:04:00.0\",\"speed_mbps\":null,\"management\":false},"
	"{\"link\":\"enp5s0\",\"mac\":\"58:47:ca:00:00:02\",\"driver\":\"igc\",\"carrier\":true,"
	"\"virtual\":false,\"pci\":\"0000:05:00.0\",\"speed_mbps\":2500,\"management\":true}],"
	"\"disks\":["
	"{\"name\":\"nvme0n1\",\"size\":1073741824000,\"model\":\"Samsung SSD 980 PRO 1TB\","
	"\"serial\":\"S5GXNF0R123456\",\"transport\":\"nvme\",\"rotational\":false,"
	"\"removable\":false,\"boot_medium\":false},"
	"{\"name\":\"sda\",\"size\":17179869184,\"model\":\"Flash Drive\",\"serial\":null,"
	"\"transport\":\"usb\",\"rotational\":false,\"removable\":true,\"boot_medium\":true}],"
	"\"gpus\":["
	"{\"address\":\"0000:00:02.0\",\"vendor_id\":\"8086\",\"device_id\":\"a780\","
	"\"vendor\":\"Intel Corporation\",\"device\":\"Raptor Lake-S GT1 [UHD Graphics 770]\","
	"\"driver\":\"i915\",\"integrated\":true,\"boot\":true},"
	"{\"address\":\"0000:01:00.0\",\"vendor_id\":\"10de\",\"device_id\":\"1e87\","
	"\"vendor\":\"NVIDIA Corporation\",\"device\":\"TU104 [GeForce RTX 2080 Rev. A]\","
	"\"driver\":\"nouveau\",\"integrated\":false,\"boot\":false}]}}";

static void test_sysinfo_rack_node(void **state)
{
	struct ip_err err = { 0 };
	struct hw hw;
	char *json = NULL;

	(void)state;
	hwb_rack_node(&hw);
	assert_int_equal(inst_sysinfo_json(&hw, &json, &err), 0);
	assert_string_equal(json, rack_json);
	free(json);
	hwb_release(&hw);
}

/* nothing known: the Proxmox keys are all there, with empty objects and arrays */
static void test_sysinfo_empty(void **state)
{
	struct ip_err err = { 0 };
	char *json = NULL;

	(void)state;
	assert_int_equal(inst_sysinfo_json(NULL, &json, &err), 0);
	assert_non_null(strstr(json, "\"dmi\":{\"system\":{},\"baseboard\":{},\"chassis\":{}},"
			       "\"network_interfaces\":[],\"ironpass\":{"));
	free(json);
}


/* Proxmox's other DMI keys: system.sku, baseboard serial/asset_tag, chassis serial/sku/asset_tag */
static void test_sysinfo_dmi_keys(void **state)
{
	struct hw hw = { 0 };
	struct ip_err err = { 0 };
	char *json = NULL;

	(void)state;
	snprintf(hw.dmi.product_name, sizeof(hw.dmi.product_name), "SYS-1029P");
	snprintf(hw.dmi.product_sku, sizeof(hw.dmi.product_sku), "SYS-1029P-WTR");
	snprintf(hw.dmi.board_serial, sizeof(hw.dmi.board_serial), "ZM19AS000123");
	snprintf(hw.dmi.board_asset_tag, sizeof(hw.dmi.board_asset_tag), "B-17");
	snprintf(hw.dmi.chassis_serial, sizeof(hw.dmi.chassis_serial), "C819UAC38A0001");
	snprintf(hw.dmi.chassis_sku, sizeof(hw.dmi.chassis_sku), "CSE-819U");
	snprintf(hw.dmi.chassis_asset_tag, sizeof(hw.dmi.chassis_asset_tag), "RACK4-U17");
	assert_int_equal(inst_sysinfo_json(&hw, &json, &err), 0);
	assert_non_null(strstr(json, "\"dmi\":{\"system\":{\"name\":\"SYS-1029P\","
			       "\"sku\":\"SYS-1029P-WTR\"},\"baseboard\":{\"serial\":"
			       "\"ZM19AS000123\",\"asset_tag\":\"B-17\"},\"chassis\":{\"serial\":"
			       "\"C819UAC38A0001\",\"sku\":\"CSE-819U\",\"asset_tag\":\"RACK4-U17\"}},"));
	free(json);
}

static void test_mgmt_nic(void **state)
{
	struct hw hw;

	(void)state;
	hwb_rack_node(&hw);
	/* link first */
	assert_string_equal(inst_sysinfo_mgmt_nic(&hw)->name, "enp5s0");
	/* no link anywhere: the first physical NIC (lo is virtual) */
	hw.nics[2].link = false;
	assert_string_equal(inst_sysinfo_mgmt_nic(&hw)->name, "enp4s0");
	hw.n_nics = 1;
	assert_null(inst_sysinfo_mgmt_nic(&hw));
	hwb_release(&hw);
}

static void form_ok(const struct hw *hw, const char *tmpl, const char *want)
{
	struct ip_err err = { 0 };
	char *url = NULL;

	if (inst_answer_url_form(tmpl, "ironpass.answer", hw, &url, &err) < 0)
		fail_msg("%s: %s", tmpl, ip_err_msg(&err));
	assert_string_equal(url, want);
	free(url);
}

static void form_fails(const struct hw *hw, const char *tmpl, int code, const char *msg)
{
	struct ip_err err = { 0 };
	char *url = (char *)1;

	assert_int_equal(inst_answer_url_form(tmpl, "ironpass.answer", hw, &url, &err), code);
	assert_null(url);
	assert_string_equal(ip_err_msg(&err), msg);
}

static void test_url_placeholders(void **state)
{
	struct hw hw;

	(void)state;
	hwb_rack_node(&hw);
	form_ok(&hw, "http://10.0.0.1/answers/{mac}.toml",
		"http://10.0.0.1/answers/58:47:ca:00:00:02.toml");
	form_ok(&hw, "http://10.0.0.1/{mac-dashes}", "http://10.0.0.1/58-47-ca-00-00-02");
	/* DMI values are escaped, '/' too: one path segment each */
	form_ok(&hw, "https://h/{product}/{serial}.toml?token=x",
		"https://h/MS-7D25%20Pro%2FA/K2%200042.toml?token=x");
	/* {uuid} in lower case */
	snprintf(hw.dmi.product_uuid, sizeof(hw.dmi.product_uuid),
		 "4C4C4544-0042-3510-8052-B4C04F4A4E32");
	form_ok(&hw, "http://h/{uuid}", "http://h/4c4c4544-0042-3510-8052-b4c04f4a4e32");
	form_ok(&hw, "http://h/plain.toml", "http://h/plain.toml");

	form_fails(&hw, "http://h/{hostname}.toml", -EINVAL,
		   "unknown placeholder '{hostname}' in 'ironpass.answer': use {mac}, "
		   "{mac-dashes}, {serial}, {uuid} or {product}");
	form_fails(&hw, "http://h/{mac.toml", -EINVAL,
		   "'http://h/{mac.toml' in 'ironpass.answer' has a '{' without its '}'");
	/* a firmware stand-in is no serial: the URL cannot be formed */
	snprintf(hw.dmi.product_serial, sizeof(hw.dmi.product_serial), "To Be Filled By O.E.M.");
	form_fails(&hw, "http://h/{serial}.toml", -ENODATA,
		   "cannot form the answer url 'http://h/{serial}.toml' from 'ironpass.answer': "
		   "this machine has no DMI value for '{serial}'");
	hw.dmi.product_uuid[0] = '\0';
	form_fails(&hw, "http://h/{uuid}", -ENODATA,
		   "cannot form the answer url 'http://h/{uuid}' from 'ironpass.answer': "
		   "this machine has no DMI value for '{uuid}'");
	hw.n_nics = 1;
	form_fails(&hw, "http://h/{mac}", -ENODATA,
		   "cannot form the answer url 'http://h/{mac}' from 'ironpass.answer': "
		   "this machine has no physical network interface for '{mac}'");
	/* the token in the query is not repeated in a message */
	form_fails(&hw, "https://u:pw@h/{nope}?token=s3cret", -EINVAL,
		   "unknown placeholder '{nope}' in 'ironpass.answer': use {mac}, "
		   "{mac-dashes}, {serial}, {uuid} or {product}");
	form_fails(&hw, "https://u:pw@h/{mac}?token=s3cret", -ENODATA,
		   "cannot form the answer url 'https://h/{mac}' from 'ironpass.answer': "
		   "this machine has no physical network interface for '{mac}'");
	hwb_release(&hw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sysinfo_rack_node),
		cmocka_unit_test(test_sysinfo_empty),
		cmocka_unit_test(test_sysinfo_dmi_keys),
		cmocka_unit_test(test_mgmt_nic),
		cmocka_unit_test(test_url_placeholders),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
