# Reseller Portal — build, run and test. `make help` lists the targets.
#
# Fresh Debian/Ubuntu machine: `make run` installs what is missing and opens
# the app; `make test` runs everything CI runs (.ci/run is exactly that).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

GO        ?= go
TOOLS     := $(CURDIR)/.tools
WAILS     := $(TOOLS)/wails
# The Wails CLI built with an x/tools that knows Go 1.26 (see build/scripts/install-wails.sh).
WAILS_STAMP := $(TOOLS)/.wails-v2.9.2-xtools-v0.52.0
# staticcheck (the `lint` step), installed into .tools/ by `make test`'s dependencies.
STATICCHECK_VERSION := v0.8.2
STATICCHECK := $(TOOLS)/staticcheck
STATICCHECK_STAMP := $(TOOLS)/.staticcheck-$(STATICCHECK_VERSION)
APP       := reseller-portal
BIN       := build/bin
LINUX_BIN := $(BIN)/$(APP)
WIN_EXE   := $(BIN)/$(APP).exe
RPCTL     := $(BIN)/rpctl
BINDINGS_STAMP := $(BIN)/.bindings
# The smoke test saves this, build/screenshot-smoke-home.png (signed in after the
# setup), build/screenshot-smoke-licenses.png (a seeded portal's licenses screen)
# and build/screenshot-smoke-activate.png (the response QR of an activation).
SCREENSHOT := build/screenshot-smoke.png
WAILS_FLAGS := -s -m -nosyncgomod -trimpath -nocolour

# apt packages: building the desktop app, and what `make test` needs beyond it.
APT_BUILD := gcc pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev
# (APT_RELEASE: the Windows installer and its checks — makensis, 7z, Authenticode signing, file.)
APT_RELEASE := nsis p7zip-full osslsigncode openssl file
APT_TEST  := xvfb xauth xdotool chromium zbar-tools imagemagick poppler-utils $(APT_RELEASE)
SUDO      := $(if $(filter 0,$(shell id -u)),,sudo)

# Fuzzing: FUZZ_TARGETS is a list of pkg:FuzzName pairs; empty means every
# FuzzXxx found by `go test -list '^Fuzz' ./...`.
FUZZ_TARGETS ?=
FUZZTIME       ?= 3s
FUZZTIME_LONG  ?= 60s
BENCHTIME      ?= 1s

GO_FILES = $(or $(shell git ls-files --cached --others --exclude-standard '*.go' 2>/dev/null),\
             $(shell find . -name '*.go' -not -path './frontend/node_modules/*' -not -path './.tools/*'))
# (frontend/wailsjs/runtime is left out: every wails build rewrites it, unchanged.)
FRONTEND_SRC = $(shell git ls-files --cached --others --exclude-standard frontend/src frontend/index.html frontend/public frontend/vite.config.ts frontend/wailsjs/go)
# Wails writes the files under frontend/wailsjs with mode 0755; git keeps them 0644.
FIX_WAILSJS_MODES = find frontend/wailsjs -type f -exec chmod 644 {} +
GO_SRC = $(GO_FILES) go.mod go.sum

# The steps of `make test`, in order.
TEST_STEPS := fmt-check vet lint go-test fuzz-short frontend-check build bindings-check build-windows release-check smoke e2e

.PHONY: help run build build-windows test bench bench-ui screenshots fuzz smoke e2e clean deps \
        test-deps apt-test-deps apt-deps npm-deps wails-cli staticcheck-cli frontend fmt-check vet lint go-test fuzz-short \
        frontend-check bindings bindings-check rpctl \
        release release-windows release-linux release-rpctl release-sbom release-sums release-verify release-check \
        release-version nfpm-cli cyclonedx-cli build-macos release-macos-dmg

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-zA-Z0-9_-]*:.*## / {printf "  make %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# ---- dependencies -----------------------------------------------------------

deps: apt-deps npm-deps wails-cli ## install what building needs and is missing: apt packages, npm packages, the Wails CLI in .tools/

test-deps: deps apt-test-deps staticcheck-cli

# apt_install installs the packages of $(1) that are not installed yet.
define apt_install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'ok installed' || echo "$$p"; done); \
	if [ -n "$$missing" ]; then \
	  echo "apt: installing" $$missing; \
	  $(SUDO) apt-get update -qq; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

apt-deps:
	$(call apt_install,$(APT_BUILD))

apt-test-deps:
	$(call apt_install,$(APT_TEST))

npm-deps: frontend/node_modules/.installed
frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	@touch $@

wails-cli: $(WAILS_STAMP)
$(WAILS_STAMP): build/scripts/install-wails.sh
	bash build/scripts/install-wails.sh $(TOOLS)
	@touch $@

staticcheck-cli: $(STATICCHECK_STAMP)
$(STATICCHECK_STAMP):
	GOBIN=$(TOOLS) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	@touch $@

# ---- build ------------------------------------------------------------------

frontend: frontend/dist/index.html ## build the web UI into frontend/dist (embedded by the Go binaries)
frontend/dist/index.html: frontend/node_modules/.installed $(FRONTEND_SRC)
	cd frontend && npm run build --silent

# The TypeScript bindings of backend/desktop (committed under frontend/wailsjs,
# so that a fresh clone type-checks); regenerated when the bound Go API changes.
bindings: $(BINDINGS_STAMP)
$(BINDINGS_STAMP): $(WAILS_STAMP) $(wildcard backend/desktop/*.go backend/reply/*.go) main.go app.go
	$(WAILS) generate module -tags webkit2_41 -nocolour
	@$(FIX_WAILSJS_MODES)
	@mkdir -p $(BIN) && touch $@

build: $(LINUX_BIN) ## build the Linux desktop app (build/bin/reseller-portal)
$(LINUX_BIN): $(BINDINGS_STAMP) frontend/dist/index.html $(GO_SRC) wails.json build/appicon.png
	$(WAILS) build $(WAILS_FLAGS) -skipbindings -tags webkit2_41 -o $(APP)
	@$(FIX_WAILSJS_MODES)
	@test -x $@

# -nsis: also writes build/windows/installer/wails_tools.nsh and the WebView2
# bootstrapper that the installer (release-windows, release-check) builds on,
# and an unsigned build/bin/$(APP)-amd64-installer.exe (when makensis is there).
build-windows: $(WAILS_STAMP) frontend/dist/index.html ## cross-build the Windows amd64 .exe (icon, manifest) and check it
	$(WAILS) build $(WAILS_FLAGS) -skipbindings -platform windows/amd64 -nsis -ldflags "$(RP_LDFLAGS)" -o $(APP).exe
	@$(FIX_WAILSJS_MODES)
	$(GO) run ./build/scripts/checkexe $(WIN_EXE) build/windows/icon.ico com.resellerportal.ResellerPortal "Reseller Portal"

rpctl: frontend/dist/index.html
	CGO_ENABLED=0 $(GO) build -o $(RPCTL) ./backend/cmd/rpctl

# ---- release -----------------------------------------------------------------
#
# One version everywhere (build/scripts/version.sh): wails.json's productVersion
# X.Y.Z; X.Y.Z-dev.g<commit>[.dirty] unless HEAD is tagged vX.Y.Z and clean.
# It names the files in dist/, goes into the .exe's version resource (Wails,
# from wails.json) and the installer's, and through -ldflags into the app's
# About line and `rpctl --version` (with the commit). Computed once per make.

DIST      ?= dist
CHECK_DIST := $(BIN)/release-check
NFPM_VERSION      := v2.45.2
CYCLONEDX_VERSION := v1.10.0
CYCLONEDX_NPM_VERSION := 6.0.1
NFPM      := $(TOOLS)/nfpm
CYCLONEDX := $(TOOLS)/cyclonedx-gomod
CYCLONEDX_NPM := $(TOOLS)/cyclonedx-npm/node_modules/.bin/cyclonedx-npm
RPCTL_PLATFORMS := linux/amd64 linux/arm64 windows/amd64 windows/arm64 darwin/amd64 darwin/arm64
VERSION_LINES = $(eval VERSION_LINES := $$(shell bash build/scripts/version.sh))$(VERSION_LINES)
RP_VERSION ?= $(word 1,$(VERSION_LINES))
RP_COMMIT  ?= $(word 2,$(VERSION_LINES))
RP_LDFLAGS = -X github.com/resellerportal/portal/backend/rpc.buildVersion=$(RP_VERSION) \
             -X github.com/resellerportal/portal/backend/rpc.buildCommit=$(RP_COMMIT)

release-version: ## print the version `make release` stamps and the commit
	@test -n "$(RP_VERSION)" || { echo "release: no version (build/scripts/version.sh failed)"; exit 1; }
	@echo "$(RP_VERSION) $(RP_COMMIT)"

release: release-version ## dist/: signed Windows installer + portable .exe, Linux .tar.gz + .deb, rpctl ×6, SBOMs, SHA256SUMS; then checks them
	rm -rf $(DIST)
	$(MAKE) release-windows release-linux release-rpctl release-sbom release-sums release-verify \
	  RP_VERSION=$(RP_VERSION) RP_COMMIT=$(RP_COMMIT)
	@ls -l $(DIST)

# Signing: build/scripts/sign.sh (RP_SIGN_PFX + RP_SIGN_PASS_FILE, or
# RP_SIGN_CERT + RP_SIGN_KEY; otherwise a throwaway TEST certificate).
release-windows: release-version build-windows
	bash build/scripts/release-windows.sh $(WIN_EXE) $(DIST) $(RP_VERSION)

release-linux: release-version $(NFPM) $(BINDINGS_STAMP) frontend/dist/index.html
	$(WAILS) build $(WAILS_FLAGS) -skipbindings -tags webkit2_41 -ldflags "$(RP_LDFLAGS)" -o $(APP)
	@$(FIX_WAILSJS_MODES)
	bash build/scripts/release-linux.sh $(LINUX_BIN) $(DIST) $(RP_VERSION) $(NFPM)

release-rpctl: release-version frontend/dist/index.html
	@for p in $(RPCTL_PLATFORMS); do \
	  os=$${p%/*} arch=$${p#*/} ext=; [ $$os = windows ] && ext=.exe; \
	  echo "rpctl $$os/$$arch"; \
	  CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath -ldflags "-s -w $(RP_LDFLAGS)" \
	    -o $(DIST)/rpctl-$(RP_VERSION)-$$os-$$arch$$ext ./backend/cmd/rpctl; \
	done

release-sbom: release-version $(CYCLONEDX) $(CYCLONEDX_NPM) frontend/node_modules/.installed
	$(CYCLONEDX) mod -json -output-version 1.6 -output $(DIST)/reseller-portal-$(RP_VERSION)-go.cdx.json .
	$(CYCLONEDX_NPM) --omit dev --output-format JSON --output-file $(DIST)/reseller-portal-$(RP_VERSION)-npm.cdx.json frontend/package.json

release-sums:
	cd $(DIST) && rm -f SHA256SUMS && sha256sum -- * > SHA256SUMS.tmp && mv SHA256SUMS.tmp SHA256SUMS

release-verify: release-version
	bash build/scripts/release-verify.sh $(DIST) $(RP_VERSION)

# `make test`'s step: the installer around build-windows' .exe, signed with a
# TEST certificate, rpctl ×6, SHA256SUMS, then release-verify — in $(CHECK_DIST).
release-check: release-version
	rm -rf $(CHECK_DIST)
	bash build/scripts/release-windows.sh $(WIN_EXE) $(CHECK_DIST) $(RP_VERSION)
	$(MAKE) release-rpctl release-sums release-verify DIST=$(CHECK_DIST) RP_VERSION=$(RP_VERSION) RP_COMMIT=$(RP_COMMIT)

# macOS only (.github/workflows/release.yml; cannot run on this Linux machine):
# the universal .app and a .dmg of it (codesign/notarize are workflow steps).
build-macos: $(WAILS_STAMP) frontend/dist/index.html
	$(WAILS) build $(WAILS_FLAGS) -skipbindings -platform darwin/universal -ldflags "$(RP_LDFLAGS)"

release-macos-dmg: release-version
	mkdir -p $(DIST)
	hdiutil create -volname "Reseller Portal" -srcfolder "$(BIN)/Reseller Portal.app" -ov -format UDZO \
	  $(DIST)/reseller-portal-$(RP_VERSION)-macos-universal.dmg

nfpm-cli: $(NFPM)
$(NFPM):
	GOBIN=$(TOOLS) $(GO) install github.com/goreleaser/nfpm/v2/cmd/nfpm@$(NFPM_VERSION)

cyclonedx-cli: $(CYCLONEDX) $(CYCLONEDX_NPM)
$(CYCLONEDX):
	GOBIN=$(TOOLS) $(GO) install github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod@$(CYCLONEDX_VERSION)
$(CYCLONEDX_NPM):
	npm install --prefix $(TOOLS)/cyclonedx-npm --no-audit --no-fund --no-save @cyclonedx/cyclonedx-npm@$(CYCLONEDX_NPM_VERSION)

# ---- run --------------------------------------------------------------------

run: deps build ## install what is missing, build, and launch the desktop app
	$(LINUX_BIN)

# ---- tests ------------------------------------------------------------------

test: test-deps ## everything CI checks (gofmt, vet, staticcheck, go test -race, fuzz, frontend, builds, smoke, e2e)
	@start=$$SECONDS; n=0; \
	for step in $(TEST_STEPS); do \
	  t=$$SECONDS; echo "==> $$step"; \
	  $(MAKE) $$step || { echo "make test: step $$step failed"; echo "steps: $$n passed, 1 failed"; exit 1; }; \
	  n=$$((n + 1)); echo "<== $$step ok ($$((SECONDS - t)) s)"; \
	done; \
	echo "make test: all steps passed in $$((SECONDS - start)) s"; \
	echo "steps: $$n passed, 0 failed"

fmt-check:
	@out=$$(gofmt -l $(GO_FILES)); if [ -n "$$out" ]; then echo "gofmt: these files need gofmt -w:"; echo "$$out"; exit 1; fi

vet:
	CGO_ENABLED=0 $(GO) vet ./...

lint: $(STATICCHECK_STAMP) ## staticcheck over the whole module
	CGO_ENABLED=0 $(STATICCHECK) ./...

go-test:
	$(GO) test -race -count=1 ./...

fuzz-short:
	bash build/scripts/fuzz.sh $(FUZZTIME) $(FUZZ_TARGETS)

fuzz: ## run every fuzz target longer (FUZZTIME_LONG=60s each)
	bash build/scripts/fuzz.sh $(FUZZTIME_LONG) $(FUZZ_TARGETS)

bench: ## run the Go benchmarks (BENCHTIME=1s)
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...

frontend-check: frontend/node_modules/.installed
	cd frontend && npm run --silent typecheck && npx vue-tsc --noEmit -p tsconfig.node.json && npm test --silent

# The committed bindings must be what Wails generates from backend/desktop.
bindings-check:
	@git diff --quiet --exit-code -- frontend/wailsjs || { git diff --stat -- frontend/wailsjs; \
	  echo "frontend/wailsjs changed when the bindings were generated: commit it"; exit 1; }
	@test -z "$$(git ls-files --others --exclude-standard frontend/wailsjs)" || { \
	  echo "new generated bindings under frontend/wailsjs: commit them"; exit 1; }

smoke: build rpctl ## the desktop app under Xvfb: first run and setup typed in; a seeded portal: sign in, licenses screen with rows; one activation pasted in, its QR read
	bash build/scripts/smoke.sh $(LINUX_BIN) $(RPCTL) $(SCREENSHOT)

e2e: frontend/node_modules/.installed rpctl ## browser tests: real Chromium against `rpctl portal serve`
	@if ! $(RPCTL) portal serve --help 2>/dev/null | grep -q '^  rpctl portal serve'; then \
	  echo "e2e: SKIPPED: this rpctl has no 'portal serve' yet, so the browser tests cannot run"; \
	  exit 0; \
	fi; \
	cd frontend && RPCTL=$(CURDIR)/$(RPCTL) node --test e2e/

bench-ui: frontend/node_modules/.installed rpctl ## the UI benchmark in Chromium at 100,000 licenses and 2,000 customers (figures printed)
	cd frontend && RPCTL=$(CURDIR)/$(RPCTL) node e2e/bench-ui.mjs

screenshots: frontend/node_modules/.installed rpctl ## refresh the screenshots in docs/ (light and dark) from a seeded portal
	cd frontend && RPCTL=$(CURDIR)/$(RPCTL) node e2e/docs-screenshots.mjs

clean: ## remove build outputs (build/bin, frontend/dist contents, screenshots)
	rm -rf $(BIN) build/screenshot-smoke*.png
	find frontend/dist -mindepth 1 ! -name .keep -exec rm -rf {} +
