//! IPAddr and URI as templates use them, against Ruby's output.
use crate::{render, Limits, NoHost};

fn check(src: &str, expect: &str) {
    match render(src.as_bytes(), &NoHost, &Limits::default()) {
        Ok(out) => assert_eq!(String::from_utf8_lossy(&out), expect, "{src}"),
        Err(f) => panic!("{src}: {}: {}", f.class, f.message),
    }
}

#[test]
fn ipaddr_prefixes_equality_and_operators_as_ruby() {
    // expected: Ruby 3.4.1's IPAddr on the same template (a held-out release's
    // `IPAddr.new(p(...))` and the variants around it)
    let src = r##"<%= begin; IPAddr.new("10.0.0.0/33"); rescue IPAddr::InvalidPrefixError => e; "prefix error: #{e.message}"; rescue IPAddr::InvalidAddressError => e; "address error: #{e.message}"; end %>
<%= begin; IPAddr.new("10.0.0.1").mask(33).to_s; rescue => e; e.class; end %>
<% ["10.0.0.0/024","10.1.2.3/255.0.255.0","10.0.0.0/+8","10.0.0.0/ 8","10.0.0.0/08","10.0.0.0/0","10.0.0.0/255.255.0.0","::1/129", "::1/255.255.0.0", "10.0.0.0/", "10.245.0.0/24 x", "abc"].each do |s| %>
<%= begin; x=IPAddr.new(s); "#{s} ok #{x.inspect}"; rescue => e; "#{s} #{e.class}: #{e.message}"; end %>
<% end %>
<% [33, -1, "255.255.0.0", "255.0.255.0", "8", 0].each do |m| %>
<%= begin; IPAddr.new("10.1.2.3").mask(m).inspect; rescue => e; "mask #{m.inspect} #{e.class}: #{e.message}"; end %>
<% end %>
<% a=IPAddr.new("10.0.0.1"); b=IPAddr.new("10.0.0.1"); c=IPAddr.new("10.0.0.1/8") %>
<%= [a.eql?(b), a==c, a.eql?(c), [a,b,c].uniq.size, IPAddr.new("10.0.0.0/8").eql?(IPAddr.new("10.1.0.0/8")), {a => 1}[b].inspect, [a] == [b], [a].include?(b)].inspect %>
<%= [(a | 3).to_s, (a & 0).to_s, (a << 8).to_s, (a >> 8).to_s, (~a).to_s, (a << -8).to_s, (IPAddr.new("::1") << 4).to_s, (~IPAddr.new("::1")).to_s].inspect %>
<%= begin; (a + 1).to_s; rescue NoMethodError => e; e.class; end %>
<%= begin; (a - 1).to_s; rescue NoMethodError => e; e.class; end %>
"##;
    let expect = r##"prefix error: invalid length
IPAddr::InvalidPrefixError

10.0.0.0/024 IPAddr::InvalidPrefixError: leading zeros in prefix

10.1.2.3/255.0.255.0 IPAddr::InvalidPrefixError: invalid mask 255.0.255.0

10.0.0.0/+8 IPAddr::InvalidAddressError: invalid address: 

10.0.0.0/ 8 IPAddr::InvalidAddressError: invalid address: 

10.0.0.0/08 IPAddr::InvalidPrefixError: leading zeros in prefix

10.0.0.0/0 ok #<IPAddr: IPv4:0.0.0.0/0.0.0.0>

10.0.0.0/255.255.0.0 ok #<IPAddr: IPv4:10.0.0.0/255.255.0.0>

::1/129 IPAddr::InvalidPrefixError: invalid length

::1/255.255.0.0 IPAddr::InvalidPrefixError: address family is not same

10.0.0.0/ IPAddr::InvalidAddressError: invalid address: 

10.245.0.0/24 x IPAddr::InvalidAddressError: invalid address: 

abc IPAddr::InvalidAddressError: invalid address: 


mask 33 IPAddr::InvalidPrefixError: invalid length

mask -1 IPAddr::InvalidPrefixError: invalid length

#<IPAddr: IPv4:10.1.0.0/255.255.0.0>

mask "255.0.255.0" IPAddr::InvalidPrefixError: invalid mask 255.0.255.0

#<IPAddr: IPv4:10.0.0.0/255.0.0.0>

#<IPAddr: IPv4:0.0.0.0/0.0.0.0>


[true, false, false, 2, true, "1", true, true]
["10.0.0.3", "0.0.0.0", "0.0.1.0", "0.10.0.0", "245.255.255.254", "0.10.0.0", "::10", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"]
NoMethodError
NoMethodError
"##;
    check(src, expect);
}

#[test]
fn ipv6_inspect_writes_address_and_mask_in_full() {
    // expected: Ruby's output for the same template
    check(
        r##"<%= [IPAddr.new("2001:db8::/32"), IPAddr.new("::1"), IPAddr.new("10.0.0.0/8")].inspect %> <%= IPAddr.new("2001:db8::1").to_string %> <%= IPAddr.new("2001:db8::1") %>"##,
        r##"[#<IPAddr: IPv6:2001:0db8:0000:0000:0000:0000:0000:0000/ffff:ffff:0000:0000:0000:0000:0000:0000>, #<IPAddr: IPv6:0000:0000:0000:0000:0000:0000:0000:0001/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff>, #<IPAddr: IPv4:10.0.0.0/255.0.0.0>] 2001:0db8:0000:0000:0000:0000:0000:0001 2001:db8::1"##,
    );
}

#[test]
fn uri_setters_change_the_uri_in_place() {
    // route_emitter's route_emitter.json.erb switches the routing API URL to https
    check(
        "<% u = URI.parse('http://h.example:80/x'); u.scheme = 'HTTPS' %><%= u %> <%= u.class %> <%= u.port %> <%= u.inspect %>",
        "https://h.example/x URI::HTTP 80 #<URI::HTTP https://h.example/x>",
    );
    check(
        "<% u = URI.parse('https://h/x'); u.port = '9000' %><%= u %> <%= u.port %> <% u.port = '' %><%= u.port.inspect %> <% u.host = 'o.example'; u.path = '/y'; u.userinfo = 'me:pw' %><%= u %> <% u.user = 'you'; u.query = 'a=1'; u.fragment = 'f' %><%= u %> <%= u.password %>",
        "https://h:9000/x 9000 nil https://me:pw@o.example/y https://you:pw@o.example/y?a=1#f pw",
    );
    for (set, class, msg) in [
        (
            "u.scheme = '1x'",
            "URI::InvalidComponentError",
            "bad component(expected scheme component): 1x",
        ),
        (
            "u.port = 'x1'",
            "URI::InvalidComponentError",
            "bad component(expected port component): \"x1\"",
        ),
        (
            "u.host = 'a b'",
            "URI::InvalidComponentError",
            "bad component(expected host component): a b",
        ),
        (
            "u.path = 'rel'",
            "URI::InvalidComponentError",
            "bad component(expected absolute path component): rel",
        ),
        (
            "URI.parse('mailto:x@y').host = 'h'",
            "URI::InvalidURIError",
            "can not set host with registry or opaque",
        ),
    ] {
        let src = format!("<% u = URI.parse('http://h/') %><%= begin; {set}; rescue => e; [e.class, e.message].inspect; end %>");
        check(
            &src,
            &format!("[{class}, {}]", crate::format::str_inspect(msg)),
        );
    }
}
