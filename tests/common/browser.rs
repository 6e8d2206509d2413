//! A cookie-keeping HTTP client that stands in for a person's browser (no scripts), and
//! what it gets back.

/// What came back from the server, whatever the status.
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub headers: Vec<(String, String)>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn location(&self) -> &str {
        self.header("location").expect("a Location header")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

/// A cookie-keeping HTTP client.
pub struct Browser {
    pub agent: ureq::Agent,
    base: String,
}

impl Browser {
    /// A fresh client for the server at `addr`: its own cookies, redirects not followed.
    pub fn new(addr: std::net::SocketAddr) -> Self {
        Self {
            agent: ureq::AgentBuilder::new().redirects(0).build(),
            base: format!("http://{addr}"),
        }
    }

    /// The response, also when its status is an error's; a failure to talk HTTP panics.
    fn response(result: Result<ureq::Response, ureq::Error>) -> ureq::Response {
        match result {
            Ok(response) => response,
            Err(ureq::Error::Status(_, response)) => response,
            Err(error) => panic!("request failed: {error}"),
        }
    }

    fn reply(result: Result<ureq::Response, ureq::Error>) -> Reply {
        let response = Self::response(result);
        let status = response.status();
        let headers = response
            .headers_names()
            .into_iter()
            .flat_map(|name| {
                response
                    .all(&name)
                    .into_iter()
                    .map(|v| (name.clone(), v.to_owned()))
                    .collect::<Vec<_>>()
            })
            .collect();
        let body = response.into_string().unwrap_or_default();
        Reply {
            status,
            body,
            headers,
        }
    }

    pub fn get(&self, path: &str) -> Reply {
        Self::reply(self.agent.get(&format!("{}{path}", self.base)).call())
    }

    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        Self::reply(
            self.agent
                .post(&format!("{}{path}", self.base))
                .send_form(fields),
        )
    }

    pub fn post_raw(&self, path: &str, content_type: &str, body: &[u8]) -> Reply {
        Self::reply(
            self.agent
                .post(&format!("{}{path}", self.base))
                .set("Content-Type", content_type)
                .send_bytes(body),
        )
    }

    pub fn post_json(&self, path: &str, body: &serde_json::Value) -> Reply {
        self.post_raw(path, "application/json", body.to_string().as_bytes())
    }
}

/// The value of a hidden input in a page.
pub fn hidden_field(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no hidden field {name} in:\n{body}"))
        + marker.len();
    body[start..]
        .split('"')
        .next()
        .expect("a closing quote")
        .to_owned()
}

impl Browser {
    /// The CSRF token from a signed-in page.
    pub fn csrf(&self) -> String {
        hidden_field(&self.get("/admin/password").body, "_csrf")
    }

    /// A POST with extra headers (Origin, X-Forwarded-For).
    pub fn post_form_with(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        fields: &[(&str, &str)],
    ) -> Reply {
        let mut request = self.agent.post(&format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.set(name, value);
        }
        Self::reply(request.send_form(fields))
    }

    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.get(&format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.set(name, value);
        }
        Self::reply(request.call())
    }
}

/// A reply whose body is kept as bytes: downloads.
pub struct Download {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub bytes: Vec<u8>,
}

impl Download {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.bytes.clone()).expect("a UTF-8 body")
    }
}

impl Browser {
    /// A GET whose body is read as bytes, with extra headers (Authorization).
    pub fn download(&self, path: &str, headers: &[(&str, &str)]) -> Download {
        let mut request = self.agent.get(&format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.set(name, value);
        }
        let response = Self::response(request.call());
        let status = response.status();
        let headers = response
            .headers_names()
            .into_iter()
            .filter_map(|name| {
                let value = response.header(&name)?.to_owned();
                Some((name, value))
            })
            .collect();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut response.into_reader(), &mut bytes).expect("read the body");
        Download {
            status,
            headers,
            bytes,
        }
    }
}
