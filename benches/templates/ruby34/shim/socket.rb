# Ruby under WASI has no socket extension, and ipaddr (the IPAddr templates use) requires it
# for its address-family constants alone. Name lookups fail, as they would on a machine
# without DNS.
class SocketError < StandardError; end

class BasicSocket < IO; end

class Socket < BasicSocket
  AF_UNSPEC = 0
  AF_INET = 2
  AF_INET6 = 10
end

class IPSocket < BasicSocket
  def self.getaddress(host)
    raise SocketError, "getaddrinfo: Name or service not known (#{host})"
  end
end
