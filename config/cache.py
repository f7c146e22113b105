"""Django's Redis cache backend, with one client per server kept for the process's life.

The built-in backend builds a new ``redis.Redis`` client object for every call, around a
connection pool it does keep. The client is thread-safe and cheap to keep, and building it
costs more than a page cache hit's own work, so this backend builds it once per server.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return self._clients[index]


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
