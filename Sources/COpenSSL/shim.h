// OpenSSL 3 through one header. Macros that Swift cannot import get CCOSSL_ wrappers here.
#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
// Low-level EC/DH/RSA calls are deprecated in 3.0 but remain the only way to work with explicit and
// mapped (PACE) domain parameters; they are used deliberately, so silence the attribute.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/dh.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/param_build.h>
#include <openssl/des.h>
#include <openssl/rand.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>

static inline int CCOSSL_EVP_PKEY_CTX_set_rsa_padding(EVP_PKEY_CTX *c, int p) { return EVP_PKEY_CTX_set_rsa_padding(c, p); }
static inline int CCOSSL_EVP_PKEY_CTX_set_rsa_pss_saltlen(EVP_PKEY_CTX *c, int l) { return EVP_PKEY_CTX_set_rsa_pss_saltlen(c, l); }
static inline int CCOSSL_EVP_PKEY_CTX_set_rsa_mgf1_md(EVP_PKEY_CTX *c, const EVP_MD *md) { return EVP_PKEY_CTX_set_rsa_mgf1_md(c, md); }
static inline int CCOSSL_EVP_PKEY_CTX_set_signature_md(EVP_PKEY_CTX *c, const EVP_MD *md) { return EVP_PKEY_CTX_set_signature_md(c, md); }
static inline int CCOSSL_EVP_PKEY_CTX_set_rsa_keygen_bits(EVP_PKEY_CTX *c, int b) { return EVP_PKEY_CTX_set_rsa_keygen_bits(c, b); }
static inline int CCOSSL_RSA_NO_PADDING(void) { return RSA_NO_PADDING; }
static inline int CCOSSL_RSA_PKCS1_PADDING(void) { return RSA_PKCS1_PADDING; }
static inline int CCOSSL_RSA_PKCS1_PSS_PADDING(void) { return RSA_PKCS1_PSS_PADDING; }
static inline void CCOSSL_OPENSSL_free(void *p) { OPENSSL_free(p); }
static inline const EVP_CIPHER *CCOSSL_des_ede_cbc(void) { return EVP_des_ede_cbc(); }
static inline const EVP_CIPHER *CCOSSL_des_ede_ecb(void) { return EVP_des_ede_ecb(); }
static inline const EVP_CIPHER *CCOSSL_des_ede3_cbc(void) { return EVP_des_ede3_cbc(); }
static inline const EVP_CIPHER *CCOSSL_des_ede3_ecb(void) { return EVP_des_ede3_ecb(); }
#endif
