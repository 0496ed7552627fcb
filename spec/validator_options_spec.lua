-- The options of validator.js's isURL, isEmail, isFQDN and isIP's version, as Sequelize 6.37.8
-- hands them to validator.js 13.15: answers, refusals at define, and the items of a create.
local Sequelize = require("sequelua")
local support = require("spec.support")
local DataTypes = Sequelize.DataTypes

-- { validator, options (isIP: the version), input, validator.js's answer }: a deterministic
-- sample of the random comparison with validator.js (URLs, emails and host names near the
-- edges: ports, [IPv6] hosts, auth, underscores, trailing dots, wildcards, unicode, long
-- labels, display names, gmail addresses, host lists, blacklisted characters), each answer
-- computed by validator.js 13.15.35 itself: validator[name](input, options)
local CASES = {
  {"isEmail", {}, "  <\034a\194\160b\034@[]>", false},
  {"isEmail", {host_blacklist = {"i\204\135.com"}}, "Na.me <\034\092\195\188\034@bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.com", false},
  {"isEmail", {allow_ip_domain = false}, "\194\160 <abcdef+\195\156B@m\195\188nchen.de", false},
  {"isIP", 6, "::ffff:1.2.3.4", true},
  {"isIP", "6", "::ffff:1.2.3.4", true},
  {"isURL", {allow_numeric_tld = false, allow_underscores = false, protocols = {"h", "foo"}, require_tld = true}, "https://bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.com:8080?a&b", false},
  {"isURL", {allow_wildcard = true, protocols = {"HTTP"}, require_tld = true}, "u@a.xn--p1ai:8080/x:y?#f", true},
  {"isURL", {allow_protocol_relative_urls = true, allow_trailing_dot = true, require_tld = false}, "u@a.xn--p1ai:8080/x:y?#f", true},
  {"isURL", {allow_protocol_relative_urls = false, allow_wildcard = true, host_blacklist = {"[::1]"}}, "u@a.xn--p1ai:8080/x:y?#f", true},
  {"isFQDN", {allow_wildcard = false}, "1.2.3", false},
  {"isEmail", {blacklisted_chars = "-_"}, "\034a\226\128\168.b\034 <\034\092\195\188\034@ex_ample.com>", false},
  {"isURL", {allow_trailing_dot = true, allow_underscores = true, allow_wildcard = true}, "javascript:a_b@EXAMPLE.COM:08/ b", false},
  {"isFQDN", {allow_trailing_dot = false, require_tld = true}, "lcalhost", false},
  {"isEmail", {}, "\034 <abc@[>", false},
  {"isURL", {allow_query_components = false, require_host = true, require_tld = true, require_valid_protocol = false}, "https://user@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com/x:y", true},
  {"isURL", {}, "http:///a_b@a.bc:/a@b#f", false},
  {"isURL", {allow_numeric_tld = true, require_protocol = false}, "a.123/\195\188?q=1", true},
  {"isURL", {host_whitelist = {""}, require_protocol = false, require_valid_protocol = false}, "http:/u:p:x@256.1.1.1:65535?a&b#f", true},
  {"isFQDN", {allow_trailing_dot = true, require_tld = true}, "a.co\194\160m", false},
  {"isFQDN", {allow_numeric_tld = true, allow_wildcard = false}, "a.\194\169x", true},
  {"isFQDN", {allow_numeric_tld = true, allow_underscores = false}, "a.\194\169x", true},
  {"isURL", {require_host = true}, "mailto:user:pass@my.local.host/x:y#f", false},
  {"isIP", 4, "1::2::3", false},
  {"isURL", {max_allowed_length = 20}, "ws://example.com:99999999999", false},
  {"isIP", 4, "1.2.3.4", true},
  {"isIP", "4", "1.2.3.4", true},
  {"isURL", {ignore_max_length = true, protocols = {"https"}, require_port = true}, "HTTPS://user:pass@ex_ample.com:8080/x:y?#f", false},
  {"isIP", 4, "255.255.255.255", true},
  {"isIP", "4", "255.255.255.255", true},
  {"isIP", "6", "255.255.255.255", false},
  {"isFQDN", {}, "my.local.host", true},
  {"isFQDN", {allow_trailing_dot = true, allow_wildcard = true, ignore_max_length = true}, "my.local.host", true},
  {"isFQDN", {allow_trailing_dot = true, allow_wildcard = false, require_tld = true}, "my.local.host", true},
  {"isIP", 6, "1:2:3:4:5:6:7:8", true},
  {"isIP", "4", "1:2:3:4:5:6:7:8", false},
  {"isIP", "6", "1:2:3:4:5:6:7:8", true},
  {"isEmail", {allow_ip_domain = true, allow_utf8_local_part = true, require_display_name = true}, "\034a\226\128\168.b\034 <ABCDEF@[]>", false},
  {"isEmail", {allow_ip_domain = false, domain_specific_validation = false}, "\034\034 <ab.cd.ef@ex_ample.com>", false},
  {"isEmail", {allow_ip_domain = true, require_display_name = false}, ".a@a.123", false},
  {"isURL", {allow_fragments = false, allow_underscores = true, validate_length = false}, "ftp://a.xn--p1ai:8080/a@b", true},
  {"isURL", {allow_underscores = true, require_protocol = false, require_tld = true, validate_length = false}, "ftp://a.xn--p1ai:8080/a@b", true},
  {"isURL", {}, "ftp://a.xn--p1ai:8080/a@b", true},
  {"isFQDN", {allow_numeric_tld = true, require_tld = false}, "a.\195\169", true},
  {"isURL", {allow_protocol_relative_urls = true, allow_trailing_dot = true, host_blacklist = {"EXAMPLE.COM"}, ignore_max_length = false}, "Https://:pass@a.\194\169x/pa?a&b#a?b", false},
  {"isFQDN", {allow_numeric_tld = false, ignore_max_length = true}, "EXAMPLE.COM", true},
  {"isFQDN", {allow_trailing_dot = false}, "EXAMPLE.COM", true},
  {"isURL", {}, "HTTPS://user:pass@ex_ample.com:8080/a@b?q=1#", false},
  {"isEmail", {allow_display_name = false}, "\034\034 <\196\176abcdef@example.com>", false},
  {"isEmail", {allow_underscores = false, allow_utf8_local_part = false, domain_specific_validation = false, ignore_max_length = true}, "\034 \034 <a_bcdef@googlemail.com>", false},
  {"isURL", {allow_numeric_tld = false, disallow_auth = false, require_host = true, require_tld = false}, "https://a_b@01.2.3.4:0/p/a", false},
  {"isURL", {allow_trailing_dot = false, ignore_max_length = true}, "HTTPS://bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.com/a@b?#", true},
  {"isURL", {allow_fragments = true, require_host = false, validate_length = false}, "HTTPS://bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.com/a@b?#", false},
  {"isEmail", {allow_display_name = true, allow_utf8_local_part = false, host_whitelist = {"m\195\188nchen.de", "gmail.com"}}, "\034Na.me\034 <user_name@a.123>", false},
  {"isFQDN", {allow_numeric_tld = true, require_tld = true}, "[fe80::1%eth0]", false},
  {"isFQDN", {ignore_max_length = false}, "x.y.z\092.museum.[::1]", false},
  {"isURL", {protocols = {"HTTP"}, validate_length = false}, "git+ssh://a.\195\169:08/x:y?q=1#a?b", false},
  {"isURL", {require_port = false, require_protocol = false, require_valid_protocol = true}, "ftp://u@example.com:8080#a?b", true},
  {"isURL", {allow_wildcard = false, require_host = false, require_protocol = false}, "ftp://u@example.com:8080#a?b", true},
  {"isEmail", {domain_specific_validation = true}, "\034a\226\128\168.b\034 <\034\195\188\034@EXAMPLE.COM>", false},
  {"isEmail", {allow_display_name = false, blacklisted_chars = "-_"}, "\034a\226\128\168.b\034 <\034a b\034@ac>", false},
  {"isURL", {require_protocol = false}, "ftp://user:pass@a.xn--p1ai:8080/a b?#", false},
  {"isEmail", {allow_display_name = true, allow_underscores = false, domain_specific_validation = false}, "\034Na.me\034 <\034\034@gmail.com", true},
  {"isEmail", {}, "\034Na.me\034 <\034\034@gmail.com", false},
  {"isURL", {disallow_auth = false, host_blacklist = {"example.com", "a.b"}, ignore_max_length = true, require_tld = true}, "u@1.2.3.4?", true},
  {"isURL", {}, "u@1.2.3.4?", true},
  {"isFQDN", {allow_trailing_dot = false, allow_underscores = false}, "1.2.3.", false},
  {"isURL", {}, "http:a_b@b\195\188cher.de:0080/x@:y?a&b", true},
  {"isEmail", {allow_underscores = false, allow_utf8_local_part = true, blacklisted_chars = "\240\159\152\128", host_whitelist = {"example.com"}, ignore_max_length = false}, "A <B> -<a\034b@a.123>", false},
  {"isEmail", {allow_underscores = false, blacklisted_chars = "abc", domain_specific_validation = true}, "ABC DEF@[", false},
  {"isIP", "4", "256.1.1.1", false},
  {"isURL", {}, "us%41er@a.b-c:1:2\195\188", false},
  {"isEmail", {allow_underscores = true, require_display_name = true, require_tld = true}, "\034\034 <\034\195\188\034@a.\194\160123", false},
  {"isEmail", {allow_display_name = true, allow_underscores = false, allow_utf8_local_part = false, domain_specific_validation = false}, "\034Na.me\034 <ABCDEF@\196\176.com>", true},
  {"isEmail", {allow_display_name = true}, "\034Na.me\034 <ABCDEF@\196\176.com>", true},
  {"isURL", {require_tld = false}, "xn--bcher-kva.de:8080/a b#", false},
  {"isEmail", {allow_ip_domain = false, require_display_name = true}, "\034\092\034\034 <ab.cd.ef@example.cm>", true},
  {"isFQDN", {allow_underscores = true}, "a.\194\169x.*.com", false},
  {"isURL", {allow_protocol_relative_urls = true, host_whitelist = {""}, require_host = false, require_valid_protocol = true}, "https://b\195\188cher.de:65536/\195\188?a&b#", false},
  {"isURL", {allow_query_components = true, protocols = {"http", "javascript"}, require_protocol = false}, "HTTP://[2001:db8::1]:80/p/a", true},
  {"isURL", {}, "HTTP://[2001:db8::1]:80/p/a", true},
  {"isFQDN", {allow_trailing_dot = false, ignore_max_length = true}, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.com.\228\190\139\227\129\136.\227\131\134\227\130\185\227\131\136", true},
  {"isIP", "6", "::ffff:1.2.3.@4", false},
  {"isEmail", {allow_display_name = false, allow_ip_domain = false, allow_underscores = true, allow_utf8_local_part = false}, "  <abcdef+tag@a.b>", false},
  {"isURL", {disallow_auth = true, validate_length = false}, "@a.com.:0/?a&b#f", false},
  {"isEmail", {}, "a.@m\195\188nchen.de", false},
  {"isEmail", {}, "abcdef+tag@\206\145\206\163.com", true},
  {"isEmail", {require_display_name = true}, "abcdef+tag@\206\145\206\163.com", false},
  {"isURL", {}, "[::1]/a@b?", true},
  {"isURL", {disallow_auth = true}, "[::1]/a@b?", true},
  {"isEmail", {allow_display_name = true, ignore_max_length = false}, "\034Na.me\034 <a+tag@a.b>", false},
  {"isURL", {allow_underscores = true, host_blacklist = {"[::1]"}, require_protocol = false}, "HTTPS://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com:8080/p/a#f", true},
  {"isURL", {host_blacklist = {"EXAMPLE.COM"}, require_tld = false, require_valid_protocol = false}, "HTTPS://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com:8080/p/a#f", true},
  {"isURL", {protocols = {"http", "javascript"}}, "git+ssh://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com:8080", false},
  {"isURL", {allow_fragments = false, allow_protocol_relative_urls = false, max_allowed_length = 20}, "foo://us%41er@a..com/#", false},
  {"isEmail", {allow_display_name = true, blacklisted_chars = "\034", require_display_name = true}, "\034x\034y\034 <\034\034@l\009ocalhost>", false},
  {"isEmail", {allow_utf8_local_part = false, ignore_max_length = false}, "\034\034 <ABCDEF+\206\163x@1.2.3.4>", false},
  {"isEmail", {allow_display_name = true}, "a+tag@example.com", true},
  {"isEmail", {host_whitelist = {"m\195\188nchen.de", "gmail.com"}, ignore_max_length = true, require_display_name = true}, "a+tag@example.com", false},
  {"isURL", {disallow_auth = false, max_allowed_length = 3000}, "https://a.xn--p1ai/x:y#a?b", true},
  {"isURL", {}, "https://a.xn--p1ai/x:y#a?b", true},
  {"isURL", {allow_underscores = true}, "https://a.xn--p1ai/x:y#a?b", true},
  {"isURL", {host_blacklist = {"[::1]"}}, "https://1.2.3.4:65536/a b\240\159\152\128?q=1#f", false},
  {"isURL", {protocols = {"h", "foo"}, require_host = true, require_port = false, validate_length = false}, "https://1.2.3.4:65536/a b\240\159\152\128?q=1#f", false},
  {"isURL", {allow_numeric_tld = false, allow_trailing_dot = false, allow_underscores = true, allow_wildcard = false}, "HTTP://user@[2001:db8::1]:0/x:y#", false},
  {"isFQDN", {allow_wildcard = true, require_tld = false}, "EXAMPLE.COM", true},
  {"isFQDN", {}, "EXAMPLE.COM", true},
  {"isFQDN", {ignore_max_length = false, require_tld = false}, "EXAMPLE.COM", true},
  {"isURL", {require_valid_protocol = true}, "javascript:u:p:x@a.\227\128\128b:65536?#a?b", false},
  {"isURL", {allow_protocol_relative_urls = true, require_host = false, require_protocol = true, validate_length = true}, "HTTPS://a.\009123?#f", false},
  {"isURL", {allow_underscores = true, disallow_auth = false, max_allowed_length = 10, protocols = {"ftp", "git+ssh"}, require_host = true}, "HTTPS://a.\009123?#f", false},
  {"isURL", {host_whitelist = {""}, protocols = {"http", "javascript"}}, "h:user:pass@@a.co_m:80/a b?", false},
  {"isURL", {allow_query_components = false, ignore_max_length = false, validate_length = false}, "h:user:pass@@a.co_m:80/a b?", false},
  {"isFQDN", {ignore_max_length = false, require_tld = false}, "a.\194\169x", true},
  {"isFQDN", {allow_numeric_tld = true, allow_wildcard = true}, "1.2.3.4", true},
  {"isURL", {allow_wildcard = false, ignore_max_length = true, protocols = {"https"}, require_protocol = false}, "mailto:us%41er@a.co\194\160m/x:y#", false},
  {"isURL", {allow_fragments = false, require_tld = true}, "mailto:us%41er@a.co\194\160m/x:y#", false},
  {"isEmail", {allow_display_name = true, allow_utf8_local_part = false, blacklisted_chars = "abc", host_whitelist = {"EXAMPLE.COM"}}, "\034a\226\128\168.b\034 <a@xn--80ak6aa92e.com>", false},
  {"isEmail", {allow_display_name = true, allow_utf8_local_part = true, blacklisted_chars = "a-z"}, "\034a\226\128\168.b\034 <a@xn--80ak6aa92e.com>", false},
  {"isURL", {require_tld = true}, "h:a.co_m:65536/p/a?", false},
  {"isURL", {protocols = {"h", "foo"}}, "https://u@xn--bcher-kva.de/\195\188?a&b#f", false},
  {"isURL", {allow_query_components = true, allow_trailing_dot = false, protocols = {"https"}}, "https://u@xn--bcher-kva.de/\195\188?a&b#f", true},
  {"isURL", {allow_underscores = true, require_protocol = false, require_tld = true, require_valid_protocol = false}, "https://u@xn--bcher-kva.de/\195\188?a&b#f", true},
  {"isURL", {ignore_max_length = true}, "foo://user:@localhost:65535/p/a?q=1#", false},
  {"isURL", {}, "foo://user:@localhost:65535/p/a?q=1#", false},
  {"isEmail", {allow_display_name = true, allow_ip_domain = true, require_tld = true}, "A\034a\092\034b\034 <!#$%&'*+-/=?^_`{|}~@GMAIL.com>", false},
  {"isFQDN", {allow_wildcard = true}, "EXAMPLE.OM", true},
  {"isFQDN", {allow_wildcard = false}, "EXAMPLE.OM", true},
  {"isFQDN", {}, "EXAMPLE.OM", true},
  {"isURL", {allow_query_components = true, require_tld = true, validate_length = true}, "https://a b.com:0/\195\188", false},
  {"isIP", 6, "*", false},
  {"isIP", "4", "*", false},
  {"isURL", {}, "HTTPS://u@example.com/p/a?#", true},
  {"isURL", {max_allowed_length = 3000}, "ftp://\092user:pass@www.example.com.:8080?q=1", false},
  {"isURL", {allow_numeric_tld = true, allow_trailing_dot = false, allow_wildcard = true, host_whitelist = {""}, validate_length = true}, "ftp://\092user:pass@www.example.com.:8080?q=1", false},
  {"isIP", "4", "a", false},
  {"isURL", {require_protocol = false, require_tld = true}, "HTTPS://xn--bcher-kva.de/\195\188?q=1#a?b", true},
  {"isURL", {ignore_max_length = true, require_protocol = true}, "HTTPS://xn--bcher-kva.de/\195\188?q=1#a?b", true},
  {"isEmail", {require_display_name = false}, "\034\034 <\034a\194\160b@\196\176.com", false},
  {"isEmail", {host_blacklist = {"\206\177\207\131.com"}, host_whitelist = {"example.com"}}, "\034\034 <\034a\194\160b@\196\176.com", false},
  {"isEmail", {}, "\034quoted\034@\196\176.com", true},
  {"isFQDN", {}, "", false},
  {"isURL", {require_host = false, require_valid_protocol = true}, "http:a@b@:80/?", false},
  {"isURL", {require_port = true}, "http:a@b@:80/?", false},
  {"isEmail", {allow_display_name = true}, "\194\160 <a\194\160b@gmail.com>", false},
  {"isFQDN", {ignore_max_length = true}, "a.com..", false},
  {"isURL", {allow_trailing_dot = false, require_valid_protocol = false}, "HTTPS://1.2.3.4:8080/x:y?q=1", true},
  {"isURL", {}, "HTTPS://1.2.3.4:8080/x:y?q=1", true},
  {"isURL", {allow_query_components = true, ignore_max_length = false, protocols = {"https"}}, "HTTPS://1.2.3.4:8080/x:y?q=1", true},
  {"isURL", {allow_numeric_tld = false, allow_protocol_relative_urls = true, ignore_max_length = false, max_allowed_length = 3000}, "//[::1]:8080/p/a?q=1#f", true},
  {"isEmail", {allow_ip_domain = true}, "\034 \034 <a@b@EXAMPLE.COM>", false},
  {"isURL", {allow_fragments = true, allow_protocol_relative_urls = false, host_blacklist = {"[::1]"}, require_port = true, validate_length = true}, "foo://u:p:x@@a.\227\128\128b:80/p/a?a&b#", false},
  {"isEmail", {allow_underscores = true, require_tld = true}, "\034 \034 <abcdef@googlemail.com", false},
  {"isEmail", {allow_ip_domain = true, domain_specific_validation = false}, "\034 \034 <abcdef@googlemail.com", false},
  {"isEmail", {host_blacklist = {"i\204\135.com"}, ignore_max_length = false, require_display_name = false, require_tld = false}, "\034a\092\010b\034", false},
  {"isEmail", {require_display_name = false, require_tld = true}, "\034a\092\010b\034", false},
  {"isURL", {require_tld = false, validate_length = true}, "//user:pass@[200/1:db8::1]/p/a#f", false},
  {"isURL", {allow_protocol_relative_urls = true, allow_underscores = true, host_whitelist = {"localhost"}, protocols = {"http", "javascript"}}, "mailto:user:pass@1.2.3/?#f ", false},
  {"isEmail", {allow_ip_domain = false, allow_underscores = false, blacklisted_chars = "x-", domain_specific_validation = false}, "\034a\092\010b\034@a.123", false},
  {"isEmail", {ignore_max_length = true, require_display_name = true}, "\034a\092\010b\034@a.123", false},
  {"isFQDN", {allow_trailing_dot = true, ignore_max_length = true}, "[]", false},
  {"isFQDN", {allow_wildcard = true}, "[]", false},
  {"isEmail", {ignore_max_length = true}, "Name<a\034b@ex_ample.com>", false},
  {"isURL", {allow_wildcard = false, require_valid_protocol = false, validate_length = true}, "foo://a.b:08#a?b", false},
  {"isEmail", {allow_display_name = true, domain_specific_validation = true, host_blacklist = {"\206\145\206\163.com"}, require_tld = true}, "Name <ABCDEF@\196\176.com>", true},
  {"isURL", {require_port = false, require_tld = true}, "https://b\195\188cher.de:65536/a@b", false},
  {"isURL", {allow_numeric_tld = true, allow_underscores = true, ignore_max_length = false, require_host = false}, "mailto:a_b@a.\194\169x:1:2/ab#f", false},
  {"isFQDN", {allow_trailing_dot = false, ignore_max_length = false, require_tld = true}, "[]", false},
  {"isFQDN", {allow_wildcard = true, ignore_max_length = true}, "[]", false},
  {"isURL", {protocols = {"ftp", "git+ssh"}, require_protocol = false}, "mailto::pass@a.123:65535/\195\188?#", false},
  {"isURL", {host_whitelist = {}}, "https://a_b@[fe80::1%eth0]:99999999999/?q=1#", false},
  {"isFQDN", {allow_numeric_tld = true, require_tld = true}, "b\195\188cher.de", true},
  {"isFQDN", {}, "b\195\188cher.de", true},
  {"isFQDN", {allow_trailing_dot = true, require_tld = false}, "b\195\188cher.de", true},
  {"isEmail", {}, "\034a\226\128\168.b\034 <!#$%&'*+-/=?^_`{|}~@a.c>", false},
  {"isURL", {host_blacklist = {"::1"}, require_host = false, require_protocol = true}, "u:p:x@256.1.1.1:99999999999?#", false},
  {"isURL", {allow_query_components = true, allow_wildcard = false, require_host = true}, "ftp://user:pass@a.xn--p1ai/p/a?#", true},
  {"isURL", {}, "ftp://user:pass@a.xn--p1ai/p/a?#", true},
  {"isURL", {ignore_max_length = false}, "ftp://user:pass@a.xn--p1ai/p/a?#", true},
  {"isURL", {allow_query_components = false, allow_underscores = false, require_host = true, require_valid_protocol = true}, "u@*.a.com?q=1#", false},
  {"isFQDN", {allow_wildcard = false}, "\239\189\133\239\189\152\239\189\129\239\189\141\239\189\144\239\189\140\239\189\133.com", false},
  {"isFQDN", {allow_trailing_dot = true, allow_underscores = true}, "\239\189\133\239\189\152\239\189\129\239\189\141\239\189\144\239\189\140\239\189\133.com", false},
  {"isURL", {allow_protocol_relative_urls = true, allow_trailing_dot = true, disallow_auth = true}, "ftp://[2001:db8::1]/x:y#f", true},
  {"isURL", {allow_numeric_tld = true, allow_protocol_relative_urls = true, disallow_auth = false, host_blacklist = {"EXAMPLE.COM"}, max_allowed_length = 30}, "ftp://[2001:db8::1]/x:y#f", true},
  {"isURL", {allow_numeric_tld = false, allow_underscores = true}, "ftp://[2001:db8::1]/x:y#f", true},
  {"isEmail", {blacklisted_chars = "x-"}, "abcdef@GMAIL.com", true},
  {"isEmail", {allow_ip_domain = true, allow_underscores = false}, "abcdef@GMAIL.com", true},
  {"isEmail", {blacklisted_chars = "+", domain_specific_validation = false, ignore_max_length = true, require_tld = true}, "abcdef@GMAIL.com", true},
  {"isURL", {ignore_max_length = true, require_tld = false, require_valid_protocol = true}, "Https://user:@[1.2.3.4]:9999999999#a?b", false},
  {"isURL", {}, "Https://user:@[1.2.3.4]:9999999999#a?b", false},
  {"isURL", {allow_numeric_tld = false, host_whitelist = {"localhost"}, max_allowed_length = 30, protocols = {"http", "javascript"}, require_port = false}, "http://@a.xn--p1ai:65536/?q=1#", false},
  {"isURL", {allow_fragments = false, allow_protocol_relative_urls = false, allow_query_components = true, allow_wildcard = true, max_allowed_length = 10}, "//[2001:db8::1]:65536", false},
  {"isEmail", {require_display_name = true}, "\034\092\034\034 <ab.cdefghij.klmn.opqrstuvw.xyzabcdefgh@EXAMPLE.COM>", true},
  {"isEmail", {allow_display_name = false, allow_ip_domain = false, host_blacklist = {"example.com", "gmail.com"}}, "\034\092\034\034 <ab.cdefghij.klmn.opqrstuvw.xyzabcdefgh@EXAMPLE.COM>", false},
  {"isFQDN", {ignore_max_length = false}, "*.a.com.[2001:db8::1]", false},
  {"isURL", {ignore_max_length = false, protocols = {"https"}}, "//user:pass@example.com/\195\188#a?b", false},
  {"isURL", {allow_fragments = true, require_tld = false}, "ftp://b\195\188cher.de/#f", true},
  {"isFQDN", {allow_trailing_dot = true, allow_underscores = false}, "a.com.", true},
  {"isURL", {allow_numeric_tld = false, allow_protocol_relative_urls = true, allow_wildcard = false, host_blacklist = {"EXAMPLE.COM"}, protocols = {"HTTP"}}, "http://user:pass@www.example.com./x:y#", false},
  {"isURL", {allow_wildcard = true, ignore_max_length = true, protocols = {}, require_tld = false}, "a_b@a..com:08/\195\188#f", false},
  {"isEmail", {allow_display_name = false, domain_specific_validation = false}, "\034Na.me\034 <xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@gmail.c om>", false},
  {"isIP", 6, "::", true},
  {"isIP", "6", "::", true},
  {"isFQDN", {}, "1.2.3", false},
  {"isFQDN", {allow_numeric_tld = true}, "1.2.3", true},
  {"isURL", {}, "ftp://a-.com\195\188#f", false},
  {"isFQDN", {allow_numeric_tld = true}, "a.b-c", true},
  {"isFQDN", {allow_underscores = false, require_tld = false}, "a.b-c", true},
  {"isURL", {protocols = {"https"}}, "mailto:u:p:x@a.c:65536/a b?q=1", false},
  {"isURL", {allow_fragments = true, require_port = false}, "git+ssh://u@bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.com:8080/p/a?", false},
  {"isURL", {allow_fragments = true, allow_protocol_relative_urls = true}, "mailto:@a.com.:65536/\195\188?#", false},
  {"isEmail", {allow_display_name = true, allow_utf8_local_part = false}, "\034\092\034\034 <\034@m\195\188nchen.de>", true},
  {"isFQDN", {allow_trailing_dot = true}, "my.local.host", true},
  {"isFQDN", {allow_numeric_tld = false, allow_underscores = true, require_tld = false}, "my.local.host", true},
  {"isFQDN", {allow_trailing_dot = true, allow_wildcard = true}, "my.local.host", true},
  {"isEmail", {}, "\034\092\195\188\034@1.2.3.4", false},
  {"isURL", {allow_wildcard = false}, "u@1.2.3.4:8080/p/a#f", true},
  {"isURL", {}, "u@1.2.3.4:8080/p/a#f", true},
  {"isURL", {}, "git+ssh://a.xn--p1ai/", false},
  {"isURL", {allow_fragments = false, allow_query_components = false, allow_trailing_dot = false, require_host = false}, "b\195\188cher.de/p/a", true},
  {"isURL", {allow_fragments = false, allow_underscores = true, require_tld = false}, "b\195\188cher.de/p/a", true},
  {"isURL", {}, "b\195\188cher.de/p/a", true},
  {"isEmail", {allow_utf8_local_part = false}, "  <\034q\092\034x\034@exam ple.com>", false},
  {"isEmail", {host_blacklist = {"i\204\135.com"}}, "a+tag@xn--80ak6aa92e.com", true},
  {"isEmail", {allow_underscores = true}, "a+tag@xn--80ak6aa92e.com", true},
  {"isEmail", {}, "a+tag@xn--80ak6aa92e.com", true},
  {"isFQDN", {}, "a.1com.EXAMPLE.COM", true},
  {"isFQDN", {ignore_max_length = false}, "a.1com.EXAMPLE.COM", true},
  {"isFQDN", {allow_numeric_tld = false}, "a.1com.EXAMPLE.COM", true},
  {"isURL", {allow_underscores = false, protocols = {"HTTP"}, validate_length = false}, "ws://@a.com.:99999999999/p/a#f", false},
  {"isFQDN", {allow_numeric_tld = false, require_tld = true}, "b\195\188cher.de", true},
  {"isFQDN", {allow_numeric_tld = false}, "b\195\188cher.de", true},
  {"isEmail", {allow_utf8_local_part = true, ignore_max_length = false}, "\034 \034 <ABCDEF@gmail.com>", false},
  {"isURL", {allow_numeric_tld = false, disallow_auth = true, require_valid_protocol = false}, "mailto::pass@bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.com:0/x:y?a&b", false},
  {"isFQDN", {allow_numeric_tld = false, allow_underscores = true, ignore_max_length = true}, "a.b-c", false},
  {"isEmail", {allow_display_name = true, ignore_max_length = true}, "\034Na.me\034 <xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@googlemail.com>", true},
  {"isURL", {allow_underscores = false, require_port = false, require_protocol = true, validate_length = true}, "http:a.co\194\160m:0/?q=1", false},
  {"isEmail", {}, "\034\034@\196\176.co", true},
  {"isEmail", {allow_ip_domain = true, domain_specific_validation = true, require_tld = false}, "\034\034@\196\176.co", true},
  {"isEmail", {ignore_max_length = true}, "\034\034@\196\176.co", true},
  {"isURL", {ignore_max_length = false}, "https://example.com?q=1#a?", true},
  {"isURL", {allow_protocol_relative_urls = true, disallow_auth = false, require_port = false}, "https://example.com?q=1#a?", true},
  {"isEmail", {allow_underscores = true, require_display_name = true}, "Name<ABCDEF+\206\163x@gmail.com>", true},
  {"isURL", {allow_protocol_relative_urls = true, ignore_max_length = true, require_port = false, require_tld = true}, "http:1/[1.2.3.4]:08/\195\188?q=1#a?b", false},
  {"isURL", {allow_fragments = true, allow_numeric_tld = false, require_host = false}, "HTTPS://u@xn--bcher-kva.de/\195\188", true},
  {"isURL", {allow_numeric_tld = true, allow_wildcard = false, max_allowed_length = 3000, require_protocol = false}, "HTTPS://u@xn--bcher-kva.de/\195\188", true},
  {"isEmail", {allow_display_name = false}, "\034\092\034\034 <ab:c@1.2.3.4>", false},
  {"isEmail", {allow_underscores = true, allow_utf8_local_part = true, blacklisted_chars = "!#", require_display_name = true}, "\034\092\034\034 <a_bcdef@Example.Com", true},
  {"isEmail", {allow_display_name = false, allow_underscores = true, ignore_max_length = false}, "\034Na.me\034 <a.@Example.Com>", false},
  {"isFQDN", {allow_numeric_tld = true, allow_underscores = true}, "my.local.host", true},
  {"isFQDN", {allow_numeric_tld = true, allow_wildcard = false, require_tld = false}, "my.local.host", true},
  {"isFQDN", {allow_underscores = true}, "my.local.host", true},
  {"isURL", {ignore_max_length = true, require_valid_protocol = true}, "HTTPS://user:pass@[::1]?a&b#", true},
  {"isURL", {allow_query_components = true, allow_wildcard = false}, "HTTPS://user:pass@[::1]?a&b#", true},
  {"isURL", {allow_numeric_tld = false, validate_length = false}, "HTTPS://user:pass@[::1]?a&b#", true},
  {"isFQDN", {allow_trailing_dot = true, ignore_max_length = false}, "a.\194\169x", false},
  {"isURL", {allow_numeric_tld = false, allow_underscores = false, require_port = false, validate_length = true}, "mailto:u:p:x@aaaaaaaaaaaaaaaaa.com?a&b#a?b", false},
  {"isURL", {allow_numeric_tld = true, validate_length = true}, "HTTPS://user:pass@a.123:8080#a?b", true},
  {"isURL", {allow_numeric_tld = true, allow_trailing_dot = false, require_valid_protocol = false}, "HTTPS://user:pass@a.123:8080#a?b", true},
  {"isEmail", {allow_utf8_local_part = true}, "abcdef+\195\156B@bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.com", true},
  {"isEmail", {allow_underscores = true, allow_utf8_local_part = true, require_tld = true}, "abcdef+\195\156B@bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.com", true},
  {"isEmail", {allow_display_name = true, allow_underscores = false, host_blacklist = {"example.com", "gmail.com"}}, "abcdef+\195\156B@bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.com", true},
  {"isURL", {max_allowed_length = 3000, require_host = true}, "git+ssh://:pass@example.com:80/x:y", false},
  {"isIP", "4", "01.2.3.4", false},
  {"isEmail", {allow_ip_domain = false, require_tld = true}, "\194\160 <\034quote\226\128\168d\034@[>", false},
  {"isEmail", {allow_ip_domain = true}, "\034q\092\034x\034@\206\145\206\163.com", true},
  {"isEmail", {require_display_name = false}, "\034q\092\034x\034@\206\145\206\163.com", true},
  {"isEmail", {domain_specific_validation = false, ignore_max_length = false}, "Name <\034a b\034@ex_ample.com>", false},
  {"isURL", {allow_protocol_relative_urls = false, allow_trailing_dot = true, host_blacklist = {"[::1]"}, protocols = {"h", "foo"}}, "[2001:db8::1]/a b?q=1", false},
  {"isURL", {require_host = false, require_valid_protocol = false}, "mailto:user:@a.bc:0/x:y?a&b#", false},
  {"isFQDN", {allow_numeric_tld = true, ignore_max_length = false}, "a.b", true},
  {"isFQDN", {allow_wildcard = true}, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com", true},
  {"isFQDN", {allow_underscores = false, ignore_max_length = false}, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com", true},
  {"isFQDN", {allow_trailing_dot = true, ignore_max_length = false}, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com", true},
  {"isEmail", {allow_display_name = false, blacklisted_chars = "."}, "\194\160 <xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@EXAMPLE.COM>", false},
  {"isURL", {host_blacklist = {"EXAMPLE.COM"}}, "user:pass@[2001:db8::1]", true},
  {"isURL", {allow_wildcard = false, require_tld = true}, "user:pass@[2001:db8::1]", true},
  {"isURL", {allow_fragments = true, max_allowed_length = 30, require_protocol = false, require_tld = false}, "ftp://example.com:8080/x:y?q=1", true},
  {"isURL", {allow_numeric_tld = true}, "ftp://example.com:8080/x:y?q=1", true},
  {"isIP", "4", "1:2:3:4:5:6:7:8:9", false},
  {"isIP", "6", "1:2:3:4:5:6:7:8:9", false},
  {"isEmail", {}, "\034a\226\128\168.b\034 <\195\188\195\177\195\174@m\195\188nchen.de>", false},
  {"isEmail", {allow_ip_domain = true, blacklisted_chars = ".", domain_specific_validation = false, require_display_name = false}, "\195\156n\195\175 <abcdef+\195\156B@exam ple.com>", false},
  {"isEmail", {allow_utf8_local_part = true, host_blacklist = {"\206\177\207\131.com"}}, "\034a\092\034b\034 <a..b@[::1]>", false},
  {"isEmail", {blacklisted_chars = "."}, "\034x\034y\034 <a.@[]", false},
  {"isIP", 6, "fe80::1%eth0", true},
  {"isIP", "6", "fe80::1%eth0", true},
  {"isURL", {max_allowed_length = 20}, "h:a.com..:99999999999\194\160?q=1", false},
  {"isEmail", {allow_underscores = false, allow_utf8_local_part = false, require_display_name = false}, "Na.me <\034@example.com>", false},
  {"isEmail", {domain_specific_validation = false, ignore_max_length = true}, "\034a\092\034b\034 <a\034b@[::1]>", false},
  {"isEmail", {allow_ip_domain = true, allow_underscores = false}, "ABCDEF@\196\176.com", true},
  {"isEmail", {allow_underscores = true, domain_specific_validation = false}, "ABCDEF@\196\176.com", true},
  {"isEmail", {}, "ABCDEF@\196\176.com", true},
  {"isURL", {protocols = {"https"}, require_tld = false}, "git+sh://xn--bcher-kva.de:8080/p/a", false},
  {"isFQDN", {allow_numeric_tld = true, allow_underscores = true, ignore_max_length = true}, "b\195\188cher.de", true},
  {"isFQDN", {allow_trailing_dot = true, ignore_max_length = true, require_tld = false}, "b\195\188cher.de", true},
  {"isFQDN", {allow_wildcard = false}, "b\195\188cher.de", true},
  {"isEmail", {allow_display_name = true, allow_ip_domain = true, allow_underscores = true, domain_specific_validation = true}, "Name<abcdef+\195\156B@m\195\188nchen.de>", true},
  {"isEmail", {allow_utf8_local_part = false, host_blacklist = {"\206\177\207\131.com"}, host_whitelist = {"example.com"}, require_display_name = true}, "\194\160 <a+tag@googlemail.com>", false},
  {"isURL", {}, "Https://us%41er@a.xn--p1ai:08/\195\188?q=1", true},
  {"isURL", {allow_numeric_tld = false, allow_underscores = false}, "Https://us%41er@a.xn--p1ai:08/\195\188?q=1", true},
  {"isURL", {host_whitelist = {"example.com", "a.b"}}, "a..com:65536/\195\188#f", false},
  {"isEmail", {allow_utf8_local_part = false, ignore_max_length = true}, "\034Na.me\034 <\195\188\195\177\195\174@ocalhost>", false},
  {"isURL", {allow_query_components = true, allow_wildcard = false, max_allowed_length = 3000, protocols = {"h", "foo"}}, "u@a.bc/a@b", true},
  {"isEmail", {allow_display_name = true, allow_utf8_local_part = true, require_tld = false}, "\034a\226\128\168.b\034 <user_name@\196\176.com>", false},
  {"isEmail", {}, "\034\092\034\034 <a\194\160b@GMAIL.com>", false},
  {"isIP", 6, "a[", false},
  {"isEmail", {allow_display_name = true, allow_underscores = true, blacklisted_chars = ".", ignore_max_length = false}, "a\226\128\168b <\034\195\188\034@googlemail.com>", true},
  {"isURL", {max_allowed_length = 30}, "mailto:@a.co\194\160m/x:y?", false},
  {"isURL", {}, "ftp://a.bc:8080/#a?b", true},
  {"isURL", {require_protocol = false}, "ftp://a.bc:8080/#a?b", true},
  {"isEmail", {}, "!#$%&'*+-/=?^_`{|}~@[]", false},
  {"isFQDN", {allow_numeric_tld = true, allow_underscores = false, allow_wildcard = false}, "[1.2.3.4]", false},
  {"isURL", {allow_fragments = false, allow_wildcard = true, ignore_max_length = true}, "//:@a.\194\169x:08/p/a@", false},
  {"isURL", {allow_numeric_tld = false, require_host = false, require_tld = true}, "http://[::1]:8080/\195\188?q=1#", true},
  {"isURL", {allow_trailing_dot = false, allow_underscores = true, disallow_auth = true}, "http://[::1]:8080/\195\188?q=1#", true},
  {"isEmail", {domain_specific_validation = true, require_display_name = true}, "abcdef+&\195\156B@[", false},
  {"isEmail", {allow_utf8_local_part = true, require_display_name = true}, "\034a\092\034b\034 <a_bcdef@xn--80ak6aa92e.com", true},
  {"isURL", {}, "https://localhost:65536/a@b?a&b#a?b", false},
  {"isFQDN", {allow_numeric_tld = true, allow_underscores = false, require_tld = false}, "b\195\188cherde", true},
  {"isURL", {require_port = false}, "git+ssh://u@localhost:65536?a&b", false},
  {"isURL", {ignore_max_length = false}, "b\195\188cher.de/p/a", true},
  {"isURL", {ignore_max_length = true, require_protocol = false}, "b\195\188cher.de/p/a", true},
  {"isURL", {protocols = {"h", "foo"}, require_port = false}, "b\195\188cher.de/p/a", true},
  {"isURL", {allow_numeric_tld = true, require_protocol = true, require_tld = true}, "ftp://user@a.co_m:1:2/p/a?q=1#a?b", false},
  {"isURL", {max_allowed_length = 3000}, "user:pass@[]:", false},
  {"isEmail", {}, "  <a\034b@localhost>", false},
  {"isFQDN", {}, "*.com*", false},
  {"isEmail", {blacklisted_chars = "\195\188", ignore_max_length = false}, "Na.me <a.@a.c", false},
  {"isURL", {host_whitelist = {}, max_allowed_length = 20}, "mailto:user@[::ffff:1.2.3.4]:65535/", false},
  {"isFQDN", {allow_trailing_dot = false}, "[::ff.ff:1.2.3.4]", false},
  {"isURL", {allow_protocol_relative_urls = true, protocols = {}}, "https://u@b\195\188cher.de:8080/x:y?a&b", false},
  {"isURL", {}, "//aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com:65536/p/a#", false},
  {"isEmail", {allow_underscores = false, ignore_max_length = false, require_tld = false}, "\194\160\195\156n\195\175 <a@b@a.123>", false},
  {"isURL", {disallow_auth = true, host_whitelist = {}, require_valid_protocol = false}, "rtmp://:pass@a.com.:08?q=1#", false},
  {"isEmail", {allow_underscores = true, allow_utf8_local_part = true}, "Na.me <a@b@\196\176.com>", false},
  {"isEmail", {allow_utf8_local_part = true, host_blacklist = {"i\204\135.com"}, require_display_name = false}, "\034x\034y\034 <Kabcde@gmail.c#om>", false},
  {"isEmail", {allow_utf8_local_part = false, blacklisted_chars = ".", domain_specific_validation = false, require_display_name = true}, "\034 \034[ <\034q\092\034x\034@ex_ample.com>", false},
  {"isEmail", {allow_display_name = false, allow_ip_domain = true, allow_underscores = false, blacklisted_chars = "."}, "\034Na.me\034 <\034\034@\196\176.com>", false},
  {"isURL", {protocols = {"http", "javascript"}, require_host = true}, "foo://a_b@a.xn--p1ai:65535/p/a?", false},
  {"isEmail", {require_display_name = false, require_tld = false}, "\194\160 <!#$%&'*+-/=?^_`{|}~@[::1]>", false},
  {"isEmail", {allow_utf8_local_part = true, domain_specific_validation = false, host_whitelist = {"example.com"}, require_display_name = true}, "\034Na.me\034 <xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@a.b>", false},
  {"isURL", {host_blacklist = {"example.com", "a.b"}, ignore_max_length = false, require_host = true}, "https://a@b@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com:80?a&b#", false},
}

local function serial(x)
  if type(x) ~= "table" then return tostring(x) end
  local keys, out = {}, {}
  for k in pairs(x) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  for _, k in ipairs(keys) do out[#out + 1] = tostring(k) .. "=" .. serial(x[k]) end
  return "{" .. table.concat(out, ",") .. "}"
end

describe("isURL, isEmail, isFQDN with options, isIP with a version", function()
  local db
  before_each(function() db = support.open() end)

  it("give validator.js's answer for every case of the sample", function()
    local models, wrong = {}, {}
    for i, c in ipairs(CASES) do
      local name, opts, input, want = c[1], c[2], c[3], c[4]
      local key = name .. serial(opts)
      if not models[key] then
        local v = {}
        if name == "isIP" then v.isIP = { opts } else v[name] = opts end
        models[key] = db:define("M" .. i, { a = { type = DataTypes.TEXT, validate = v } })
      end
      local ok = pcall(function() return models[key]:build({ a = input }):validate() end)
      if ok ~= want then wrong[#wrong + 1] = ("%s %s %q: %s"):format(name, serial(opts), input, tostring(ok)) end
    end
    assert.are.same({}, wrong)
    assert.is_true(#CASES > 300)
  end)

  it("take the options where Sequelize passes them: beside msg for isFQDN, as args, or a list", function()
    local M = db:define("H", {
      a = { type = DataTypes.STRING, validate = { isFQDN = { msg = "host pls", require_tld = false } } },
      b = { type = DataTypes.STRING, validate = { isURL = { args = { require_tld = false } } } },
      c = { type = DataTypes.STRING, validate = { isEmail = { { allow_ip_domain = true } } } },
      d = { type = DataTypes.STRING, validate = { isIP = { args = { { version = "4" } } } } },
      e = { type = DataTypes.STRING, validate = { isURL = { args = true, msg = "url pls" } } },
    })
    M:build({ a = "localhost", b = "http://localhost:8080/x", c = "a@[127.0.0.1]", d = "10.0.0.1",
              e = "example.com" }):validate()
    local err = support.catch(function() return M:build({ a = "-x", d = "::1", e = "http://localhost" }):validate() end)
    local got = {}
    for _, it in ipairs(err.errors) do got[it.path] = it.message end
    assert.are.same({ a = "host pls", d = "Validation isIP on d failed", e = "url pls" }, got)
  end)

  -- the message of the error a define with this validate table raises
  local function define_error(validate)
    return support.catch_message(function()
      db:define("Bad", { v = { type = DataTypes.STRING, validate = validate } })
    end).message
  end
  local function has(msg, part) assert.is_truthy(msg:find(part, 1, true), msg) end

  it("refuse at define an unknown option or a wrong type, naming model, attribute, validator and option", function()
    has(define_error({ isURL = { protocol = { "https" } } }), "Bad.v: isURL option 'protocol' is not supported (")
    has(define_error({ isURL = { require_tld = "no" } }), "Bad.v: isURL option 'require_tld' must be a boolean (got string)")
    has(define_error({ isURL = { max_allowed_length = "20" } }),
      "Bad.v: isURL option 'max_allowed_length' must be a number (got string)")
    has(define_error({ isURL = { protocols = "https" } }),
      "Bad.v: isURL option 'protocols' must be a list of strings (regular expressions cannot be given from Lua)")
    has(define_error({ isURL = { host_whitelist = { "a.com", 5 } } }),
      "Bad.v: isURL option 'host_whitelist' must be a list of strings")
    has(define_error({ isURL = { args = { { allow_fragment = false } } } }), "Bad.v: isURL option 'allow_fragment' is not supported")
    has(define_error({ isEmail = { allow_display_names = true } }), "Bad.v: isEmail option 'allow_display_names' is not supported (")
    has(define_error({ isEmail = { blacklisted_chars = 5 } }), "Bad.v: isEmail option 'blacklisted_chars' must be a string (got number)")
    has(define_error({ isEmail = { blacklisted_chars = "z-a" } }),
      "Bad.v: isEmail option 'blacklisted_chars' has a range out of order")
    has(define_error({ isEmail = { blacklisted_chars = "\\d" } }), "Bad.v: isEmail option 'blacklisted_chars' holds \\ or ]")
    has(define_error({ isEmail = { blacklisted_chars = "^a" } }), "Bad.v: isEmail option 'blacklisted_chars' starts with ^")
    has(define_error({ isEmail = { host_blacklist = { x = "a.com" } } }), "Bad.v: isEmail option 'host_blacklist' must be a list of strings")
    has(define_error({ isFQDN = { allow_wildcard = 1 } }), "Bad.v: isFQDN option 'allow_wildcard' must be a boolean (got number)")
    has(define_error({ isFQDN = { args = { { require_tlds = false } } } }), "Bad.v: isFQDN option 'require_tlds' is not supported")
    has(define_error({ isFQDN = "yes" }), "Bad.v: options for validator isFQDN must be a table (yes)")
    has(define_error({ isIP = { 5 } }), "Bad.v: isIP's version must be 4 or 6 (got 5)")
    has(define_error({ isIP = { args = { { version = "v4" } } } }), "Bad.v: isIP's version must be 4 or 6 (got v4)")
  end)

  it("refuse at define what Sequelize would not pass on to validator.js", function()
    -- Sequelize's isUrl is `isUrl(str) { return this.isURL(str) }`
    has(define_error({ isUrl = { protocols = { "https" } } }), "Bad.v: Sequelize's isUrl reads no options")
    -- isUrl / isURL / isEmail given a msg: Sequelize keeps `{ msg }` alone
    has(define_error({ isURL = { msg = "no", require_protocol = true } }), "Bad.v: Sequelize passes isURL no options when a msg is given")
    has(define_error({ isEmail = { args = { allow_display_name = true }, msg = "no" } }),
      "Bad.v: Sequelize passes isEmail no options when a msg is given")
    -- isIP: only a list reaches validator.js (`isIP: 4` validates any IP in Sequelize)
    has(define_error({ isIP = 4 }), "Bad.v: isIP's version is passed by Sequelize only in a list: isIP = { 4 }")
    has(define_error({ isIP = { args = 6 } }), "Bad.v: isIP's version is passed by Sequelize only in a list: isIP = { 6 }")
    has(define_error({ isIP = { version = 4 } }), "Bad.v: isIP's version is passed by Sequelize only in a list")
    -- what Sequelize keeps works: msg alone, args = true beside a msg, isIPv4 / isIPv6
    db:define("Good", { a = { type = DataTypes.STRING, validate = { isUrl = { msg = "m" }, isEmail = { args = true, msg = "x" } } },
                        b = { type = DataTypes.STRING, validate = { isIPv4 = true } } })
  end)

  it("lower-case a long address of ill-formed bytes for the host lists and gmail's rules (each byte is U+FFFD)", function()
    -- (each ill-formed byte lower-cases to U+FFFD, 3 bytes: the copy was sized for 2 per byte,
    -- and overran its buffer, on the stack or the heap)
    local M = db:define("L", {
      a = { type = DataTypes.STRING, validate = { isEmail = { host_blacklist = { "x.com" } } } },
      b = { type = DataTypes.STRING, validate = { isEmail = { domain_specific_validation = true } } },
    })
    for _, n in ipairs({ 100, 250, 400 }) do
      local bad = ("\255"):rep(n)
      local err = support.catch(function() return M:build({ a = "a@" .. bad }):validate() end)
      assert.are.equal("Validation isEmail on a failed", err.errors[1].message)
      err = support.catch(function() return M:build({ b = bad:sub(1, 20) .. "@gmail.com" }):validate() end)
      assert.are.equal("Validation isEmail on b failed", err.errors[1].message)
      err = support.catch(function() return M:build({ b = "ab@" .. bad .. ".com" }):validate() end)
      assert.are.equal("Validation isEmail on b failed", err.errors[1].message)
    end
  end)

  it("refuse a create with the items Sequelize gives", function()
    -- Sequelize 6.37.8 (sqlite): the same messages, keys, names; its validatorArgs hold the
    -- options object after validator.js merged its defaults into it (see README)
    local Site = db:define("Site", {
      url = { type = DataTypes.STRING, validate = { isURL = { protocols = { "https" }, require_protocol = true } } },
      mail = { type = DataTypes.STRING,
               validate = { isEmail = { args = { { allow_display_name = true, host_whitelist = { "example.com" } } } } } },
      host = { type = DataTypes.STRING, validate = { isFQDN = { msg = "host pls", require_tld = false } } },
      ip = { type = DataTypes.STRING, validate = { isIP = { args = { 6 }, msg = "v6 pls" } } },
      ip4 = { type = DataTypes.STRING, validate = { isIPv4 = true } },
    })
    db:sync()
    Site:create({ url = "https://a.com", mail = "Ann <ann@example.com>", host = "localhost", ip = "::1", ip4 = "1.2.3.4" })
    local function item(values)
      local err = support.catch(Site.create, Site, values)
      assert.are.equal("SequelizeValidationError", err.name)
      assert.are.equal(1, #err.errors)
      return err.errors[1]
    end
    local function check(it, message, path, key, args)
      assert.are.same({ message, "Validation error", path, key, key },
        { it.message, it.type, it.path, it.validatorKey, it.validatorName })
      assert.are.same(args, it.validatorArgs)
    end
    check(item({ url = "http://a.com" }), "Validation isURL on url failed", "url", "isURL",
      { { protocols = { "https" }, require_protocol = true } })
    check(item({ url = "a.com" }), "Validation isURL on url failed", "url", "isURL",
      { { protocols = { "https" }, require_protocol = true } })
    check(item({ mail = "Ann <ann@other.com>" }), "Validation isEmail on mail failed", "mail", "isEmail",
      { { allow_display_name = true, host_whitelist = { "example.com" } } })
    check(item({ host = "-x" }), "host pls", "host", "isFQDN", { { msg = "host pls", require_tld = false } })
    check(item({ ip = "1.2.3.4" }), "v6 pls", "ip", "isIP", { 6 })
    check(item({ ip4 = "::1" }), "Validation isIPv4 on ip4 failed", "ip4", "isIPv4", { true })
  end)
end)

describe("isAlpha / isAlphanumeric with an English locale", function()
  it("take it in a list or as args' list, as Sequelize passes a list's items to validator.js", function()
    local db = Sequelize.new("sqlite::memory:")
    local M = db:define("M", {
      a = { type = DataTypes.STRING, validate = { isAlpha = { "en-GB" } } },
      b = { type = DataTypes.STRING, validate = { isAlphanumeric = { args = { "en-AU" }, msg = "alnum" } } },
    })
    db:sync()
    M:create({ a = "abc", b = "ab1" })
    local err = support.catch(M.create, M, { a = "ab1", b = "ab1" })
    assert.are.same({ "Validation isAlpha on a failed", { "en-GB" } }, { err.errors[1].message, err.errors[1].validatorArgs })
    err = support.catch(M.create, M, { a = "ab", b = "a-1" })
    assert.are.same({ "alnum", { "en-AU" } }, { err.errors[1].message, err.errors[1].validatorArgs })
    -- (another locale's alphabet is not checked here: still refused at define)
    assert.has_error(function() db:define("N", { a = { type = DataTypes.STRING, validate = { isAlpha = { "fr-FR" } } } }) end)
    db:close()
  end)
end)
