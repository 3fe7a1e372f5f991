// The one place that talks HTTP to the platform. Errors become ApiError with the API's message and field.

const token = (() => {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) sessionStorage.setItem('ludus.token', fromUrl);
  return fromUrl || sessionStorage.getItem('ludus.token');
})();

export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field || null;
  }

  /** "404: sweep 9 not found (field id)": what happened, for error states. */
  describe() {
    const where = this.field ? ` (field ${this.field})` : '';
    const hint = this.status === 401 ? ' — open the dashboard link the server printed at start-up (it ends in ?token=…)' : '';
    return this.status ? `${this.status}: ${this.message}${where}${hint}` : this.message;
  }
}

export async function api(path, options = {}) {
  return (await request(path, options)).data;
}

/** A page of a listing: its rows and the X-Total-Count the server sent (how many match in all). */
export async function apiPage(path) {
  const { data, response } = await request(path, {});
  const total = Number(response.headers.get('X-Total-Count'));
  return { rows: data, total: Number.isFinite(total) ? total : data.length };
}

async function request(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  // the server takes state-changing requests only as JSON (its guard against cross-site forms), body or not
  if (body !== undefined || method !== 'GET') headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(`/api${path}`, {
      method, headers, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
    });
  } catch (e) {
    throw new ApiError(0, `cannot reach the Ludus server (${e.message}); is it still running?`);
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    if (response.ok) throw new ApiError(response.status, `the server sent something that is not JSON for ${path}`);
  }
  if (!response.ok) {
    const error = new ApiError(response.status, (data && data.error) || `${response.statusText || 'request failed'} (${method} ${path})`,
      data && data.field);
    // a sweep with several problems names each: [{field, error}]
    if (data && Array.isArray(data.errors)) error.errors = data.errors.map((x) => ({ field: x.field || null, message: x.error }));
    throw error;
  }
  return { data, response };
}

export function withToken(url) {
  if (!token) return url;
  return url + (url.includes('?') ? '&' : '?') + `token=${encodeURIComponent(token)}`;
}

export const q = encodeURIComponent;
